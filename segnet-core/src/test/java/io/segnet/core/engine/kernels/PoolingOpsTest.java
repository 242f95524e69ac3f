package io.segnet.core.engine.kernels;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoolingOpsTest {

    private static final double NAN = Double.NaN;
    private static final double INF = Double.POSITIVE_INFINITY;

    /** One 4x8 plane with NaNs, ties, signed zeros and infinities. */
    private static final double[] PLANE = {
            NAN, 1, 5, 5, -0.0, 0.0, -INF, -INF,
            NAN, 2, 5, 5, 0.0, -0.0, -INF, -INF,
            1, NAN, 3, INF, -1, -2, INF, NAN,
            3, NAN, INF, INF, -3, -1, NAN, INF};

    /*
     * Expected values from PyTorch 1.13, float32 and float64 alike:
     *   F.max_pool2d(x, 2, return_indices=True)       -> [nan, 5, -0., -inf, nan, inf, -1, nan], [8, 2, 4, 6, 25, 19, 20, 30]
     *   F.max_pool2d(x, 3, 2, 1, return_indices=True) -> [nan, 5, 5, 0., nan, nan, inf, nan],     [8, 2, 3, 5, 25, 25, 19, 30]
     * A larger value or any NaN replaces the maximum: the first of equal values wins (also -0. before 0.), the last
     * NaN wins.
     */
    @Test
    void maxPoolFollowsPyTorchOnNaNsTiesAndSignedZeros() {
        for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            check(type, 2, 2, 0, new double[]{NAN, 5, -0.0, -INF, NAN, INF, -1, NAN}, new int[]{8, 2, 4, 6, 25, 19, 20, 30});
            check(type, 3, 2, 1, new double[]{NAN, 5, 5, 0.0, NAN, NAN, INF, NAN}, new int[]{8, 2, 3, 5, 25, 25, 19, 30});
        }
    }

    /** The values-only pass of inference: PyTorch's maxima (NaN wins), a zero maximum's sign aside. */
    @Test
    void valuesOnlyPoolingGivesTheSameMaxima() {
        for (int[] kSP : new int[][]{{2, 2, 0}, {3, 2, 1}}) {
            INDArray x = Nd4j.create(PLANE, new long[]{1, 1, 4, 8}).castTo(DataType.FLOAT);
            INDArray y = Nd4j.create(DataType.FLOAT, 1, 1, 2, 4);
            PoolingOps.maxPoolValues(x, y, kSP[0], kSP[0], kSP[1], kSP[1], kSP[2], kSP[2]);
            double[] expected = kSP[0] == 2 ? new double[]{NAN, 5, -0.0, -INF, NAN, INF, -1, NAN}
                    : new double[]{NAN, 5, 5, 0.0, NAN, NAN, INF, NAN};
            double[] got = y.castTo(DataType.DOUBLE).data().asDouble();
            for (int i = 0; i < expected.length; i++) {
                assertTrue(Double.isNaN(expected[i]) ? Double.isNaN(got[i]) : expected[i] == got[i],
                        kSP[0] + "x" + kSP[0] + " output " + i + ": " + got[i] + " vs " + expected[i]);
            }
        }
        // random planes of odd sizes, several images and channels: equal to the indexed pass, bit for bit
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 10, 14).subi(0.5);
        INDArray indexed = Nd4j.create(DataType.FLOAT, 2, 3, 5, 7);
        INDArray values = Nd4j.create(DataType.FLOAT, 2, 3, 5, 7);
        PoolingOps.maxPoolForward(x, indexed, new int[(int) indexed.length()], 2, 2, 2, 2, 0, 0);
        PoolingOps.maxPoolValues(x, values, 2, 2, 2, 2, 0, 0);
        assertArrayEquals(indexed.data().asFloat(), values.data().asFloat());
    }

    private static void check(DataType type, int k, int s, int p, double[] values, int[] indices) {
        INDArray x = Nd4j.create(PLANE, new long[]{1, 1, 4, 8}).castTo(type);
        INDArray y = Nd4j.create(type, 1, 1, 2, 4);
        int[] argmax = new int[8];
        PoolingOps.maxPoolForward(x, y, argmax, k, k, s, s, p, p);
        String what = type + " " + k + "x" + k + " stride " + s + " padding " + p;
        assertArrayEquals(indices, argmax, what + ": indices");
        double[] got = y.dup().castTo(DataType.DOUBLE).data().asDouble();
        for (int i = 0; i < values.length; i++) {
            if (Double.isNaN(values[i])) {
                assertTrue(Double.isNaN(got[i]), what + ": output " + i + " should be NaN, got " + got[i]);
            } else {
                // Compare bit patterns so that -0.0 and 0.0 differ.
                assertEquals(Double.doubleToRawLongBits(values[i]), Double.doubleToRawLongBits(got[i]),
                        what + ": output " + i + " expected " + values[i] + ", got " + got[i]);
            }
        }
    }

    /**
     * Ceil mode with 2x2 windows on odd sizes (ONNX models from Caffe's VGG): the last window of a row or column holds
     * one element; the float kernels must not read into the next row or past the plane. Expected: the double kernel.
     */
    @Test
    void twoByTwoCeilModeOnOddSizesStaysInsideThePlane() {
        Nd4j.getRandom().setSeed(9);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 2, 3, 5, 7);
        int oh = (int) PoolingOps.pooledSize(5, 2, 2, 0, true), ow = (int) PoolingOps.pooledSize(7, 2, 2, 0, true);
        assertEquals(3, oh);
        assertEquals(4, ow);
        INDArray expected = Nd4j.create(DataType.DOUBLE, 2, 3, oh, ow);
        int[] expectedArgmax = new int[(int) expected.length()], argmax = new int[expectedArgmax.length];
        PoolingOps.maxPoolForward(x, expected, expectedArgmax, 2, 2, 2, 2, 0, 0);
        assertEquals(x.getDouble(0, 0, 4, 6), expected.getDouble(0, 0, 2, 3)); // the corner window is one element
        INDArray xf = x.castTo(DataType.FLOAT), indexed = Nd4j.create(DataType.FLOAT, 2, 3, oh, ow);
        INDArray values = Nd4j.create(DataType.FLOAT, 2, 3, oh, ow);
        PoolingOps.maxPoolForward(xf, indexed, argmax, 2, 2, 2, 2, 0, 0);
        PoolingOps.maxPoolValues(xf, values, 2, 2, 2, 2, 0, 0);
        assertEquals(expected.castTo(DataType.FLOAT), indexed);
        assertArrayEquals(expectedArgmax, argmax);
        assertEquals(expected.castTo(DataType.FLOAT), values);
    }

    @Test
    void floatKeysOrderLikeFloats() {
        float[] v = {Float.NEGATIVE_INFINITY, -Float.MAX_VALUE, -1f, -Float.MIN_VALUE, -0f, 0f, Float.MIN_VALUE, 1f,
                Float.MAX_VALUE, Float.POSITIVE_INFINITY};
        for (int i = 0; i < v.length; i++) {
            for (int j = 0; j < v.length; j++) {
                assertEquals(Float.compare(v[i] == 0 ? 0f : v[i], v[j] == 0 ? 0f : v[j]),
                        Integer.compare(PoolingOps.key(v[i]), PoolingOps.key(v[j])), v[i] + " vs " + v[j]);
            }
            assertTrue(PoolingOps.key(Float.NaN) > PoolingOps.key(v[i]));
            assertTrue(PoolingOps.key(Float.intBitsToFloat(0xffc00001)) > PoolingOps.key(v[i]), "negative NaN");
        }
    }

    /**
     * The float kernel (integer keys, branch-free selects, a 2x2 fast path) must pick the same element as the double
     * kernel (a plain row-major scan of each window) on data full of ties (values from 5 levels), NaNs and -inf, for
     * kernels 1-4, strides 1-3, padding up to half the kernel and both modes.
     */
    @Test
    void floatKernelPicksTheSameElementsAsTheDoubleKernel() {
        java.util.Random random = new java.util.Random(5);
        int cases = 0;
        for (int k = 1; k <= 4; k++) {
            for (int s = 1; s <= 3; s++) {
                for (int p = 0; p <= k / 2; p++) {
                    for (boolean ceil : new boolean[]{false, true}) {
                        int h = k + random.nextInt(7), w = k + random.nextInt(9);
                        double[] v = new double[2 * h * w];
                        for (int i = 0; i < v.length; i++) {
                            int r = random.nextInt(12);
                            v[i] = r == 0 ? Double.NaN : r == 1 ? Double.NEGATIVE_INFINITY : r % 5 - 2;
                        }
                        int oh = (int) PoolingOps.pooledSize(h, k, s, p, ceil);
                        int ow = (int) PoolingOps.pooledSize(w, k, s, p, ceil);
                        INDArray x = Nd4j.create(v, new long[]{1, 2, h, w});
                        INDArray expected = Nd4j.create(DataType.DOUBLE, 1, 2, oh, ow);
                        INDArray got = Nd4j.create(DataType.FLOAT, 1, 2, oh, ow);
                        int[] expectedArgmax = new int[2 * oh * ow], argmax = new int[2 * oh * ow];
                        PoolingOps.maxPoolForward(x, expected, expectedArgmax, k, k, s, s, p, p);
                        PoolingOps.maxPoolForward(x.castTo(DataType.FLOAT), got, argmax, k, k, s, s, p, p);
                        String what = h + "x" + w + " kernel " + k + " stride " + s + " padding " + p + " ceil " + ceil;
                        assertArrayEquals(expectedArgmax, argmax, what);
                        assertArrayEquals(expected.castTo(DataType.FLOAT).data().asFloat(), got.data().asFloat(), what);
                        cases++;
                    }
                }
            }
        }
        assertEquals(48, cases);
    }
}
