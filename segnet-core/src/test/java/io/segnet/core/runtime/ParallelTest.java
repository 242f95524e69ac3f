package io.segnet.core.runtime;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParallelTest {

    @Test
    void runsEveryItemExactlyOnce() {
        for (int count : new int[]{0, 1, 2, 7, 8, 9, 63, 1000}) {
            AtomicIntegerArray runs = new AtomicIntegerArray(Math.max(count, 1));
            Parallel.forEach(count, 1 << 20, runs::incrementAndGet);
            for (int i = 0; i < count; i++) {
                assertEquals(1, runs.get(i), "item " + i + " of " + count);
            }
        }
    }

    @Test
    void nestedCallsComplete() {
        AtomicIntegerArray runs = new AtomicIntegerArray(16 * 16);
        Parallel.forEach(16, 1 << 20, i -> Parallel.forEach(16, 1 << 20, j -> runs.incrementAndGet(i * 16 + j)));
        for (int i = 0; i < runs.length(); i++) {
            assertEquals(1, runs.get(i));
        }
    }

    @Test
    void theCallerFinishesTheWorkWhenThePoolIsBusy() throws InterruptedException {
        int workers = ForkJoinPool.getCommonPoolParallelism();
        CountDownLatch release = new CountDownLatch(1), occupied = new CountDownLatch(workers);
        for (int w = 0; w < workers; w++) {
            ForkJoinPool.commonPool().execute(() -> {
                occupied.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        try {
            assertTrue(occupied.await(10, TimeUnit.SECONDS), "pool workers did not start");
            Thread caller = Thread.currentThread();
            AtomicIntegerArray ranOnCaller = new AtomicIntegerArray(64);
            Parallel.forEach(64, 1 << 20, i -> ranOnCaller.set(i, Thread.currentThread() == caller ? 1 : 0));
            for (int i = 0; i < 64; i++) {
                assertEquals(1, ranOnCaller.get(i), "item " + i + " waited for a busy pool worker");
            }
        } finally {
            release.countDown();
        }
    }

    @Test
    void aSlowWorkerHoldsNoMoreThanTheChunksItClaimed() {
        int items = 64, workers = ForkJoinPool.getCommonPoolParallelism();
        int grain = (items + Math.min(items, (workers + 1) * 4) - 1) / Math.min(items, (workers + 1) * 4);
        Thread caller = Thread.currentThread();
        AtomicInteger onWorkers = new AtomicInteger();
        Parallel.forEach(items, 1 << 20, i -> {
            if (Thread.currentThread() != caller) {
                onWorkers.incrementAndGet();
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        assertTrue(onWorkers.get() <= workers * grain, onWorkers.get() + " of " + items + " items ran on slow pool"
                + " workers; the caller should have taken all but one chunk (" + grain + " items) per worker");
    }

    @Test
    void rethrowsTheFirstFailureAfterTheStartedItemsFinish() {
        IllegalStateException boom = new IllegalStateException("item 5 failed");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> Parallel.forEach(64, 1 << 20,
                i -> {
                    if (i == 5) {
                        throw boom;
                    }
                }));
        assertSame(boom, thrown);
    }
}
