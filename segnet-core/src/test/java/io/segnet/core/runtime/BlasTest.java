package io.segnet.core.runtime;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BlasTest {

    @Test
    void openBlasRunsOnTheCallingThreadByDefault() {
        assertEquals(1, Blas.threadsPerCall());
    }

    @Test
    void multipliesWindowsOfBuffersWithRowPitch() {
        for (DataType t : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            INDArray a = Nd4j.rand(t, 7, 9), b = Nd4j.rand(t, 5, 6);
            // C[2x3] = A[1:3, 2:6] (2x4) * B^T where B = b[1:4, 0:4] (3x4): windows at offsets with row pitch.
            INDArray c = Nd4j.zeros(t, 4, 8);
            Blas.gemm(false, true, 2, 3, 4, 1.0, a, 9 + 2, 9, b, 6, 6, 0.0, c, 8 + 1, 8);
            INDArray expected = a.get(NDArrayIndex.interval(1, 3),
                    NDArrayIndex.interval(2, 6)).mmul(
                    b.get(NDArrayIndex.interval(1, 4),
                            NDArrayIndex.interval(0, 4)).transpose());
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 3; j++) {
                    assertEquals(expected.getDouble(i, j), c.getDouble(1 + i, 1 + j), 1e-5, t + " C[" + i + "," + j + "]");
                }
            }
            assertEquals(0.0, c.getDouble(0, 0));
            assertEquals(0.0, c.getDouble(1, 4));
        }
    }
}
