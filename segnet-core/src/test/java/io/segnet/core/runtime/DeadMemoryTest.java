package io.segnet.core.runtime;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DeadMemory} lends exactly the memory of the activations offered to it (and only whole workspace arrays that
 * nothing still used overlaps), aligned, best fit, adjacent ranges merged, taken back when given back and forgotten at
 * the end of the step; lent arrays own nothing.
 */
class DeadMemoryTest {
    private static final WorkspaceConfiguration WS = WorkspaceConfiguration.builder().initialSize(1 << 20)
            .policyAllocation(AllocationPolicy.STRICT).policyLearning(LearningPolicy.NONE).build();

    @AfterEach
    void clear() {
        GradientBuffers.clear();
    }

    /** Runs {@code body} with a workspace open, as DL4J's activations are during a training step. */
    private static void inWorkspace(Consumer<MemoryWorkspace> body) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(WS, "DeadMemoryTest")) {
            body.accept(ws);
        }
    }

    private static long address(INDArray a) {
        return a.data().address();
    }

    @Test
    void lendsTheOfferedMemoryAlignedAndWritesThrough() {
        inWorkspace(ws -> {
            DeadMemory m = new DeadMemory();
            INDArray act = Nd4j.zeros(DataType.FLOAT, 1000);
            assertTrue(m.offer(act, new INDArray[0]));
            INDArray g = m.take(DataType.FLOAT, new long[]{10, 20});
            assertNotNull(g);
            assertEquals(0, address(g) % DeadMemory.ALIGNMENT);
            assertTrue(address(g) >= address(act) && address(g) + 800 <= address(act) + 4000);
            assertFalse(g.isAttached());
            g.assign(3f);
            assertEquals(600.0, act.sumNumber().doubleValue(), 0.0, "the gradient is in the activation's memory");
            assertNull(m.take(DataType.FLOAT, new long[]{1000}), "what is left is too small");
            assertNull(m.take(DataType.DOUBLE, new long[]{2}), "only float arrays are lent");
        });
    }

    @Test
    void refusesViewsDetachedArraysAndOverlaps() {
        DeadMemory m = new DeadMemory();
        assertFalse(m.offer(Nd4j.create(DataType.FLOAT, 100), new INDArray[0]), "outside a workspace");
        inWorkspace(ws -> {
            INDArray act = Nd4j.create(DataType.FLOAT, 10, 10);
            assertFalse(m.offer(act.get(NDArrayIndex.interval(0, 5), NDArrayIndex.all()), new INDArray[0]),
                    "a view");
            assertFalse(m.offer(act, new INDArray[]{act.reshape(100)}), "memory a returned array still uses");
            assertTrue(m.offer(act, new INDArray[0]));
            assertFalse(m.offer(act, new INDArray[0]), "offered twice");
            assertEquals(400, m.offeredBytes);
        });
    }

    @Test
    void adjacentRangesMergeBestFitAndGivenBackRangesReturn() {
        inWorkspace(ws -> {
            DeadMemory m = new DeadMemory();
            INDArray a = Nd4j.create(DataType.FLOAT, 256);
            INDArray b = Nd4j.create(DataType.FLOAT, 256);
            INDArray small = Nd4j.create(DataType.FLOAT, 64);
            INDArray c = Nd4j.create(DataType.FLOAT, 80);
            assertTrue(address(b) - address(a) < 1200, "the workspace allocates side by side");
            assertTrue(m.offer(a, new INDArray[0]));
            assertTrue(m.offer(b, new INDArray[0]));
            assertTrue(m.offer(c, new INDArray[0]));
            // a and b together are one range; a request larger than either fits only there.
            long gap = address(b) - address(a) - 1024;
            INDArray big = m.take(DataType.FLOAT, new long[]{256 + 16});
            assertNotNull(big, "merged ranges (gap " + gap + " bytes)");
            assertTrue(address(big) >= address(a) && address(big) < address(b));
            // Best fit: a 64-float request takes c's range (320 bytes, whatever its alignment), not the larger rest
            // of a+b.
            INDArray fit = m.take(DataType.FLOAT, new long[]{64});
            assertTrue(address(fit) >= address(c) && address(fit) + 256 <= address(c) + 320);
            m.giveBack(fit.data());
            assertEquals(address(fit), address(m.take(DataType.FLOAT, new long[]{8, 8})), "given back, lent again");
            m.forget();
            assertNull(m.take(DataType.FLOAT, new long[]{1}), "nothing after the step has ended");
            assertTrue(small.length() > 0);
        });
    }

    @Test
    void lentArraysOwnNothing() {
        inWorkspace(ws -> {
            DeadMemory m = new DeadMemory();
            INDArray act = Nd4j.create(DataType.FLOAT, 4096).assign(1f);
            assertTrue(m.offer(act, new INDArray[0]));
            for (int i = 0; i < 200; i++) {
                INDArray g = m.take(DataType.FLOAT, new long[]{4000});
                assertNotNull(g);
                g.close();
                m.giveBack(g.data());
            }
            System.gc();
            assertEquals(4096.0, act.sumNumber().doubleValue(), 0.0, "the activation's memory is intact");
        });
    }

    @Test
    void gradientBuffersServeDeadMemoryFirstAndForgetItAtTheStepsEnd() {
        inWorkspace(ws -> {
            INDArray act = Nd4j.create(DataType.FLOAT, 2, 3, 4, 8);
            assertTrue(GradientBuffers.offerDead(act));
            INDArray g = GradientBuffers.take(DataType.FLOAT, 2, 3, 4, 5);
            assertTrue(address(g) >= address(act) && address(g) + 480 <= address(act) + 768, "in the activation");
            GradientBuffers.giveBack(g);
            assertEquals(0, GradientBuffers.pooledBytes(), "dead memory does not go into the pool");
            GradientBuffers.reclaimAll();
            assertEquals(512, GradientBuffers.deadBytesServedLastStep(), "480 bytes rounded up to 64");
            INDArray h = GradientBuffers.take(DataType.FLOAT, 2, 3, 4, 5);
            assertTrue(address(h) < address(act) || address(h) >= address(act) + 768,
                    "forgotten once the step has ended");
        });
    }
}
