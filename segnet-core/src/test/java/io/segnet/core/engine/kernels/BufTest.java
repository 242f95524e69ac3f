package io.segnet.core.engine.kernels;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BufTest {

    @Test
    void readsAndWritesContiguousViewsAtTheirOffset() {
        for (DataType t : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            INDArray a = Nd4j.arange(0, 20).castTo(t);
            INDArray view = a.get(NDArrayIndex.interval(5, 9));
            Buf b = Buf.of(view);
            assertEquals(4, b.length);
            assertEquals(5.0, b.get(0));
            assertEquals(8.0, b.get(3));
            b.set(1, -1.0);
            b.add(2, 0.5);
            assertEquals(-1.0, a.getDouble(6));
            assertEquals(7.5, a.getDouble(7));
            INDArray reshaped = a.get(NDArrayIndex.interval(10, 16)).reshape(2, 3);
            assertEquals(13.0, Buf.of(reshaped).get(3));
        }
    }

    @Test
    void rejectsStridedViews() {
        INDArray m = Nd4j.rand(DataType.FLOAT, 4, 6);
        INDArray col = m.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 3));
        assertFalse(Buf.isContiguous(col));
        assertThrows(IllegalArgumentException.class, () -> Buf.of(col));
        assertEquals(col, Buf.contiguous(col));
        assertThrows(IllegalArgumentException.class, () -> Buf.of(Nd4j.zeros(DataType.INT, 3)));
    }
}
