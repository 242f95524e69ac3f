package io.segnet.core.runtime;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link GradientBuffers} reuses exactly the buffers it handed out and that were given back whole, never a view, a
 * foreign array or a buffer that a returned gradient still uses, and keeps at most its byte limit.
 */
class GradientBuffersTest {

    @AfterEach
    void clear() {
        GradientBuffers.clear();
        System.clearProperty(GradientBuffers.MAX_BYTES_PROPERTY);
    }

    @Test
    void aBufferGivenBackServesTheNextRequestOfItsSize() {
        GradientBuffers.clear();
        INDArray a = GradientBuffers.take(DataType.FLOAT, 2, 3, 4, 5);
        assertArrayEquals(new long[]{2, 3, 4, 5}, a.shape());
        assertEquals('c', a.ordering());
        assertFalse(a.isAttached());
        GradientBuffers.giveBack(a);
        GradientBuffers.giveBack(a);
        assertEquals(120 * 4, GradientBuffers.pooledBytes(), "given back once, however often it is offered");
        INDArray b = GradientBuffers.take(DataType.FLOAT, 4, 30);
        assertSame(a.data(), b.data(), "same length and type: the same buffer");
        assertArrayEquals(new long[]{4, 30}, b.shape());
        assertEquals(0, GradientBuffers.pooledBytes());
        INDArray c = GradientBuffers.take(DataType.FLOAT, 4, 30);
        assertNotSame(b.data(), c.data(), "a buffer in use is not handed out twice");
        INDArray d = GradientBuffers.take(DataType.DOUBLE, 4, 30);
        assertNotSame(c.data(), d.data());
    }

    @Test
    void viewsForeignArraysAndBuffersStillInUseAreNotTaken() {
        GradientBuffers.clear();
        INDArray foreign = Nd4j.create(DataType.FLOAT, 8, 8);
        GradientBuffers.giveBack(foreign);
        assertEquals(0, GradientBuffers.pooledBytes(), "only buffers the pool handed out come back");

        INDArray a = GradientBuffers.take(DataType.FLOAT, 8, 8);
        GradientBuffers.giveBack(a.get(NDArrayIndex.interval(0, 4), NDArrayIndex.all()));
        assertEquals(0, GradientBuffers.pooledBytes(), "a view is not the whole buffer");
        GradientBuffers.giveBack(a, a.reshape(64));
        assertEquals(0, GradientBuffers.pooledBytes(), "a returned gradient that shares the buffer keeps it");
        GradientBuffers.giveBack(a, foreign);
        assertEquals(64 * 4, GradientBuffers.pooledBytes());
    }

    @Test
    void aFreeBufferNoRequestTookDuringAWholeStepIsFreed() {
        GradientBuffers.clear();
        INDArray a = GradientBuffers.take(DataType.FLOAT, 16);
        INDArray b = GradientBuffers.take(DataType.FLOAT, 32);
        GradientBuffers.giveBack(a);
        GradientBuffers.giveBack(b);
        GradientBuffers.reclaimAll();
        assertEquals((16 + 32) * 4, GradientBuffers.pooledBytes(), "both were used in this step");
        INDArray again = GradientBuffers.take(DataType.FLOAT, 4, 4);
        assertSame(a.data(), again.data());
        GradientBuffers.giveBack(again);
        GradientBuffers.reclaimAll();
        assertEquals(16 * 4, GradientBuffers.pooledBytes(), "b sat idle for a whole step");
        assertTrue(b.data().wasClosed());
    }

    @Test
    void aBufferTakenAndNeverGivenBackStaysCollectable() throws InterruptedException {
        GradientBuffers.clear();
        java.lang.ref.WeakReference<Object> ref =
                new java.lang.ref.WeakReference<>(GradientBuffers.take(DataType.FLOAT, 1000).data());
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertTrue(ref.get() == null, "the pool keeps no strong reference to what it handed out");
    }

    @Test
    void reclaimAllTakesBackWhatNobodyGaveBack() {
        GradientBuffers.clear();
        INDArray a = GradientBuffers.take(DataType.FLOAT, 16);
        INDArray b = GradientBuffers.take(DataType.FLOAT, 32);
        GradientBuffers.giveBack(a);
        GradientBuffers.reclaimAll();
        assertEquals((16 + 32) * 4, GradientBuffers.pooledBytes(), "b comes back; a is not counted twice");
        assertSame(b.data(), GradientBuffers.take(DataType.FLOAT, 32).data());
    }

    @Test
    void thePoolKeepsAtMostItsLimitDroppingTheOldestFirst() {
        GradientBuffers.clear();
        System.setProperty(GradientBuffers.MAX_BYTES_PROPERTY, String.valueOf(100 * 4));
        INDArray old = GradientBuffers.take(DataType.FLOAT, 60);
        INDArray recent = GradientBuffers.take(DataType.FLOAT, 40);
        INDArray newest = GradientBuffers.take(DataType.FLOAT, 50);
        GradientBuffers.giveBack(old);
        GradientBuffers.giveBack(recent);
        GradientBuffers.giveBack(newest);
        assertTrue(GradientBuffers.pooledBytes() <= 100 * 4, GradientBuffers.pooledBytes() + " bytes");
        assertEquals((40 + 50) * 4, GradientBuffers.pooledBytes(), "the oldest (60) went");
        assertTrue(old.data().wasClosed(), "a dropped buffer is freed at once");
        assertSame(recent.data(), GradientBuffers.take(DataType.FLOAT, 40).data());
    }
}
