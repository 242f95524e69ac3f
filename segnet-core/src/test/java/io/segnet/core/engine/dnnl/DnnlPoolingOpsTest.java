package io.segnet.core.engine.dnnl;

import io.segnet.core.engine.kernels.PoolingOps;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DnnlPoolingOps} against {@link PoolingOps} (itself checked against PyTorch goldens): maxima are exact, so
 * the outputs must be equal, on the plain and on the blocked path, with padding and ceil mode.
 */
class DnnlPoolingOpsTest {
    @BeforeAll
    static void binding() {
        assertTrue(DnnlPoolingOps.supports(Nd4j.create(DataType.FLOAT, 1, 1, 2, 2)), "oneDNN binding did not load");
    }

    @ParameterizedTest(name = "[{0}, {1}, {2}, {3}] k{4} s{5} p{6} -> {7}x{8}")
    @CsvSource({
            "2, 16, 20, 18, 2, 2, 0, 10, 9",   // VGG/U-Net pooling
            "1, 5, 17, 13, 2, 2, 0, 9, 7",     // odd size, ceil mode (last window half outside)
            "1, 5, 17, 13, 2, 2, 0, 8, 6",     // odd size, floor mode (last row and column unread)
            "1, 16, 35, 29, 2, 2, 0, 17, 14",
            "2, 8, 15, 16, 3, 2, 1, 8, 8",     // ResNet's stem pooling: 3x3, stride 2, padding 1
            "1, 3, 9, 9, 3, 3, 0, 3, 3",
            "1, 64, 256, 256, 2, 2, 0, 128, 128", // large planes: oneDNN's JIT kernel needs blocked copies
            "1, 5, 200, 120, 2, 2, 0, 100, 60"    // large planes, channels not a multiple of the block
    })
    void equalsTheJavaKernel(int n, int c, int h, int w, int k, int s, int p, int oh, int ow) {
        Nd4j.getRandom().setSeed(h * 31L + w);
        INDArray x = Nd4j.randn(DataType.FLOAT, n, c, h, w);
        INDArray expected = Nd4j.create(DataType.FLOAT, n, c, oh, ow), out = Nd4j.create(DataType.FLOAT, n, c, oh, ow);
        PoolingOps.maxPoolForward(x, expected, new int[(int) expected.length()], k, k, s, s, p, p);
        DnnlPoolingOps.maxPool(x, out, k, k, s, s, p, p);
        assertEquals(expected, out);
    }

    @Test
    void largePlanesRunOneDnnsJitKernel() {
        assertTrue(DnnlPoolingOps.implementation(1, 64, 256, 256, 128, 128, 2, 2).contains("jit"),
                () -> DnnlPoolingOps.implementation(1, 64, 256, 256, 128, 128, 2, 2));
    }

    @Test
    void aStridedOutputViewIsWrittenThrough() {
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.randn(DataType.FLOAT, 1, 4, 8, 8);
        INDArray expected = Nd4j.create(DataType.FLOAT, 1, 4, 4, 4);
        PoolingOps.maxPoolValues(x, expected, 2, 2, 2, 2, 0, 0);
        INDArray holder = Nd4j.create(DataType.FLOAT, 1, 4, 4, 4);
        INDArray out = holder.permute(0, 1, 3, 2);
        DnnlPoolingOps.maxPool(x, out, 2, 2, 2, 2, 0, 0);
        assertEquals(expected, out.dup('c'));
    }

    /** ND4J's buffers are 32-byte aligned and views start anywhere; oneDNN's kernels must read them all. */
    @Test
    void inputsAndOutputsAtAnyOffset() {
        Nd4j.getRandom().setSeed(13);
        long in = 64L * 64 * 64, outLen = 64L * 32 * 32;
        INDArray big = Nd4j.randn(DataType.FLOAT, 1, in + 16), bigOut = Nd4j.create(DataType.FLOAT, 1, outLen + 16);
        for (int offset = 0; offset < 16; offset += 3) {
            INDArray x = big.get(NDArrayIndex.point(0), NDArrayIndex.interval(offset, offset + in))
                    .reshape('c', 1, 64, 64, 64);
            INDArray out = bigOut.get(NDArrayIndex.point(0), NDArrayIndex.interval(offset, offset + outLen))
                    .reshape('c', 1, 64, 32, 32);
            INDArray expected = Nd4j.create(DataType.FLOAT, 1, 64, 32, 32);
            PoolingOps.maxPoolValues(x.dup('c'), expected, 2, 2, 2, 2, 0, 0);
            DnnlPoolingOps.maxPool(x, out, 2, 2, 2, 2, 0, 0);
            assertEquals(expected, out.dup('c'), "offset " + offset);
        }
    }

    @Test
    void rejectsWindowsThatDoNotMapTheShapes() {
        INDArray x = Nd4j.create(DataType.FLOAT, 1, 2, 8, 8);
        assertThrows(IllegalArgumentException.class,
                () -> DnnlPoolingOps.maxPool(x, Nd4j.create(DataType.FLOAT, 1, 2, 5, 4), 2, 2, 2, 2, 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> DnnlPoolingOps.maxPool(x, Nd4j.create(DataType.FLOAT, 1, 2, 3, 4), 2, 2, 2, 2, 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> DnnlPoolingOps.maxPool(x, Nd4j.create(DataType.FLOAT, 1, 3, 4, 4), 2, 2, 2, 2, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> DnnlPoolingOps.maxPool(x.castTo(DataType.DOUBLE),
                Nd4j.create(DataType.DOUBLE, 1, 2, 4, 4), 2, 2, 2, 2, 0, 0));
    }
}
