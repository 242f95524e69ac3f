package io.segnet.core.runtime;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * Splits independent work items (image planes, channels) over the calling thread and the common fork-join pool.
 *
 * <p>The calling thread works too: items are cut into chunks that the caller and the pool's workers claim one at a
 * time, and the call returns when every chunk is done. A worker that starts late (its core busy, e.g. with one of
 * libnd4j's OpenMP threads, which spin for a while after every native op) finds fewer chunks or none left, so the
 * caller never sits idle waiting for a worker that has not started.
 */
public final class Parallel {
    private Parallel() {
    }

    /** Items below this many scalar operations in total run on the calling thread. */
    private static final long MIN_PARALLEL_WORK = 1 << 15;
    /** Chunks per thread: small enough that a late worker's share is taken by the others. */
    private static final int CHUNKS_PER_THREAD = 4;

    /**
     * Runs {@code body.accept(i)} for every {@code i} in {@code [0, count)}. Items must be independent (write disjoint
     * memory). {@code workPerItem} (scalar operations per item) decides whether splitting is worth it. An exception
     * thrown by an item is rethrown here after the items already started have finished.
     */
    public static void forEach(int count, long workPerItem, IntConsumer body) {
        int threads = ForkJoinPool.getCommonPoolParallelism() + 1;
        if (count <= 1 || threads <= 1 || (long) count * workPerItem < MIN_PARALLEL_WORK) {
            for (int i = 0; i < count; i++) {
                body.accept(i);
            }
            return;
        }
        Chunks chunks = new Chunks(body, count, Math.min(count, threads * CHUNKS_PER_THREAD));
        for (int t = 1; t < Math.min(threads, chunks.chunks); t++) {
            ForkJoinPool.commonPool().execute(chunks::work);
        }
        chunks.work();
        chunks.await();
    }

    /** The items cut into chunks, claimed one at a time by whichever thread asks next. */
    private static final class Chunks {
        private final IntConsumer body;
        private final int count;
        private final int grain;
        private final int chunks;
        private final AtomicInteger next = new AtomicInteger();
        private final CountDownLatch done;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Chunks(IntConsumer body, int count, int maxChunks) {
            this.body = body;
            this.count = count;
            this.grain = (count + maxChunks - 1) / maxChunks;
            this.chunks = (count + grain - 1) / grain;
            this.done = new CountDownLatch(chunks);
        }

        void work() {
            for (int c; (c = next.getAndIncrement()) < chunks; ) {
                try {
                    if (failure.get() == null) {
                        for (int i = c * grain, end = Math.min(count, i + grain); i < end; i++) {
                            body.accept(i);
                        }
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    done.countDown();
                }
            }
        }

        void await() {
            boolean interrupted = false;
            while (true) {
                try {
                    done.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            Throwable t = failure.get();
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e;
            }
            if (t != null) {
                throw new IllegalStateException(t);
            }
        }
    }
}
