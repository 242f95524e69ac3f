package io.segnet.core.ops;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import java.util.function.IntConsumer;

/** Splits independent work items (image planes, channels) over the common fork-join pool. */
public final class Parallel {
    private Parallel() {
    }

    /** Items below this many scalar operations in total run on the calling thread. */
    private static final long MIN_PARALLEL_WORK = 1 << 15;

    /**
     * Runs {@code body.accept(i)} for every {@code i} in {@code [0, count)}. Items must be independent (write disjoint
     * memory). {@code workPerItem} (scalar operations per item) decides whether splitting is worth it.
     */
    public static void forEach(int count, long workPerItem, IntConsumer body) {
        int threads = ForkJoinPool.getCommonPoolParallelism() + 1;
        if (count <= 1 || threads <= 1 || (long) count * workPerItem < MIN_PARALLEL_WORK) {
            for (int i = 0; i < count; i++) {
                body.accept(i);
            }
            return;
        }
        int chunks = Math.min(count, threads * 4);
        ForkJoinPool.commonPool().invoke(new Chunk(body, 0, count, (count + chunks - 1) / chunks));
    }

    private static final class Chunk extends RecursiveAction {
        private final IntConsumer body;
        private final int from;
        private final int to;
        private final int grain;

        Chunk(IntConsumer body, int from, int to, int grain) {
            this.body = body;
            this.from = from;
            this.to = to;
            this.grain = grain;
        }

        @Override
        protected void compute() {
            if (to - from <= grain) {
                for (int i = from; i < to; i++) {
                    body.accept(i);
                }
                return;
            }
            int mid = (from + to) >>> 1;
            invokeAll(new Chunk(body, from, mid, grain), new Chunk(body, mid, to, grain));
        }
    }
}
