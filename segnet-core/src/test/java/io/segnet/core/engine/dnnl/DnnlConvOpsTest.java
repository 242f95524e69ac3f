package io.segnet.core.engine.dnnl;

import io.segnet.core.engine.kernels.AtrousOps;
import io.segnet.core.engine.kernels.Buf;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DnnlConvOps} against {@link AtrousOps} (itself checked against PyTorch goldens) in FLOAT: outputs and the
 * input, weight and bias gradients, to 1e-4 of the largest reference magnitude.
 */
class DnnlConvOpsTest {
    private static final double TOL = 1e-4;

    @BeforeAll
    static void binding() {
        assertTrue(DnnlConvOps.available(), () -> "oneDNN binding did not load: " + DnnlConvOps.loadFailure());
    }

    @Test
    void rate2WithBias() {
        compare(2, 8, 20, 20, 6, 3, 3, 2, 2, 2, 2, true);
    }

    @Test
    void theWeightPassPutsItsSourceCopyWhereTheDeadInputGradientCopyWas() {
        compare(2, 32, 24, 20, 16, 3, 3, 1, 1, 1, 1, true);
        INDArray x = Nd4j.create(DataType.FLOAT, 2, 32, 24, 20), w = Nd4j.create(DataType.FLOAT, 16, 32, 3, 3);
        // The blocked input-gradient copy is dead once flushed; the weight pass's source copy takes its place.
        assertBackwardReuses(x, w, 1, x.length() * 4, "the input and its gradient");
    }

    @Test
    void theWeightGradientCopyTakesThePlaceOfTheDeadWeightCopy() {
        // Weights dominate (FCN's fc6 in small): 7x7, 64 -> 256 channels on a 9x10 map.
        compare(2, 64, 9, 10, 256, 7, 7, 0, 0, 1, 1, true);
        INDArray x = Nd4j.create(DataType.FLOAT, 2, 64, 9, 10), w = Nd4j.create(DataType.FLOAT, 256, 64, 7, 7);
        assertBackwardReuses(x, w, 0, w.length() * 4, "the weights and their gradient");
    }

    /**
     * Asserts that the backward plan for {@code x}, {@code w} (padding {@code pad}) lays out at least
     * {@code deadBytes} fewer arena bytes than without reuse of dead copies' places. Only meaningful where oneDNN
     * works on blocked copies of {@code copied} (all x86 JIT kernels); skipped otherwise.
     */
    private static void assertBackwardReuses(INDArray x, INDArray w, int pad, long deadBytes, String copied) {
        long[] bytes = DnnlConvOps.backwardInternalBytes(x, w, pad, pad);
        Assumptions.assumeTrue(bytes[1] >= 2 * deadBytes, () -> "no blocked copies of " + copied + ": " + bytes[1]);
        assertTrue(bytes[0] <= bytes[1] - deadBytes, () -> bytes[0] + " of " + bytes[1] + " bytes: no place reused");
    }

    @Test
    void rate6MultipleOfRateNoBias() {
        compare(1, 16, 24, 24, 8, 3, 3, 6, 6, 6, 6, false);
    }

    @Test
    void rate12NotMultipleOfRate() {
        compare(2, 8, 25, 25, 8, 3, 3, 12, 12, 12, 12, true);
    }

    @Test
    void rate18LargerThanFeatureMap() {
        compare(1, 8, 16, 16, 16, 3, 3, 18, 18, 18, 18, true);
        compare(2, 4, 16, 16, 8, 3, 3, 18, 18, 18, 18, false);
    }

    @Test
    void tapsThatOnlySeePaddingAreCropped() {
        // Rows only: 16 high with rate 18 leaves the middle kernel row; 40 wide keeps all three columns.
        compare(1, 8, 16, 40, 8, 3, 3, 18, 18, 18, 18, true);
        // 5x5 kernel, rate 3, padding 6 on 4x4: only the middle 3x3 taps ever read the input.
        compare(2, 4, 4, 4, 4, 5, 5, 6, 6, 3, 3, true);
        // The dead taps' weight gradients are exactly zero.
        INDArray x = Nd4j.randn(DataType.FLOAT, 1, 4, 8, 8), w = Nd4j.randn(DataType.FLOAT, 4, 4, 3, 3);
        INDArray dW = Nd4j.valueArrayOf(new long[] {4, 4, 3, 3}, Float.NaN, DataType.FLOAT);
        DnnlConvOps.backward(x, w, Nd4j.randn(DataType.FLOAT, 1, 4, 8, 8), Nd4j.create(DataType.FLOAT, 1, 4, 8, 8),
                dW, null, 12, 12, 12, 12);
        assertEquals(0.0, dW.sumNumber().doubleValue() - dW.get(NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.point(1), NDArrayIndex.point(1)).sumNumber().doubleValue(), 1e-3);
        assertEquals(0.0, dW.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all())
                .amaxNumber().doubleValue());
        assertTrue(DnnlConvOps.describe(x, w, false, 1, 1, 12, 12, 12, 12).contains("cropped to the 1x1 taps"));
    }

    @Test
    void channelsNotMultipleOfSimdBlock() {
        compare(2, 3, 17, 13, 5, 3, 3, 6, 6, 6, 6, true);
    }

    @Test
    void rectangularKernelAndRates() {
        compare(1, 8, 19, 23, 4, 3, 5, 6, 4, 6, 2, true);
        compare(1, 8, 12, 12, 8, 1, 1, 0, 0, 12, 12, true);
    }

    @Test
    void viewsIntoFlatBuffers() {
        Nd4j.getRandom().setSeed(7);
        int n = 2, ic = 8, h = 14, w = 14, oc = 8, k = 3, p = 6, d = 6;
        INDArray x = Nd4j.randn(DataType.FLOAT, n, ic, h, w);
        INDArray wRef = Nd4j.randn(DataType.FLOAT, oc, ic, k, k).muli(0.2);
        INDArray bRef = Nd4j.randn(DataType.FLOAT, 1, oc);
        // Parameters and their gradients as views into flat vectors, as in a network's parameter array.
        int wLen = oc * ic * k * k;
        INDArray params = Nd4j.rand(DataType.FLOAT, 1, 5 + oc + wLen);
        INDArray b = params.get(NDArrayIndex.point(0), NDArrayIndex.interval(5, 5 + oc)).reshape(1, oc);
        INDArray wv = params.get(NDArrayIndex.point(0), NDArrayIndex.interval(5 + oc, 5 + oc + wLen))
                .reshape('c', oc, ic, k, k);
        b.assign(bRef);
        wv.assign(wRef);
        INDArray grads = Nd4j.rand(DataType.FLOAT, 1, 3 + oc + wLen);
        INDArray db = grads.get(NDArrayIndex.point(0), NDArrayIndex.interval(3, 3 + oc)).reshape(1, oc);
        INDArray dW = grads.get(NDArrayIndex.point(0), NDArrayIndex.interval(3 + oc, 3 + oc + wLen))
                .reshape('c', oc, ic, k, k);
        assertTrue(Buf.isContiguous(wv) && wv.offset() > 0 && Buf.isContiguous(dW) && dW.offset() > 0
                && db.offset() > 0);

        INDArray expected = Nd4j.create(DataType.FLOAT, n, oc, h, w);
        AtrousOps.forward(x, wRef, bRef, expected, p, p, d, d);
        INDArray out = Nd4j.create(DataType.FLOAT, n, oc, h, w);
        DnnlConvOps.forward(x, wv, b, out, p, p, d, d);
        assertClose("out", expected, out);

        INDArray dy = Nd4j.randn(DataType.FLOAT, n, oc, h, w);
        INDArray dxRef = Nd4j.create(DataType.FLOAT, n, ic, h, w), dWRef = Nd4j.create(DataType.FLOAT, oc, ic, k, k);
        INDArray dbRef = Nd4j.create(DataType.FLOAT, oc);
        AtrousOps.backward(x, wRef, dy, dxRef, dWRef, dbRef, p, p, d, d);
        INDArray dx = Nd4j.create(DataType.FLOAT, n, ic, h, w);
        DnnlConvOps.backward(x, wv, dy, dx, dW, db, p, p, d, d);
        assertClose("dx", dxRef, dx);
        assertClose("dW", dWRef, dW);
        assertClose("db", dbRef.reshape(1, oc), db);
        // The surrounding parameters were not touched.
        assertEquals(bRef, b);
        assertEquals(wRef, wv);
    }

    @Test
    void cachedPlanWithNewDataAndStridedOutput() {
        Nd4j.getRandom().setSeed(11);
        for (int rep = 0; rep < 3; rep++) {
            compare(1, 8, 16, 16, 8, 3, 3, 2, 2, 2, 2, true);
        }
        // A non-contiguous output (a permuted view) is written through a temporary.
        INDArray x = Nd4j.randn(DataType.FLOAT, 1, 4, 10, 10), w = Nd4j.randn(DataType.FLOAT, 4, 4, 3, 3);
        INDArray expected = Nd4j.create(DataType.FLOAT, 1, 4, 10, 10);
        AtrousOps.forward(x, w, null, expected, 2, 2, 2, 2);
        INDArray holder = Nd4j.create(DataType.FLOAT, 1, 10, 10, 4);
        INDArray out = holder.permute(0, 3, 1, 2);
        assertFalse(Buf.isContiguous(out));
        DnnlConvOps.forward(x, w, null, out, 2, 2, 2, 2);
        assertClose("permuted out", expected, out);
    }

    @Test
    void strideTwoMatchesSubsampledStrideOne() {
        Nd4j.getRandom().setSeed(5);
        int n = 2, ic = 5, h = 15, w = 12, oc = 6, k = 3, p = 4, d = 4, s = 2;
        INDArray x = Nd4j.randn(DataType.FLOAT, n, ic, h, w);
        INDArray wt = Nd4j.randn(DataType.FLOAT, oc, ic, k, k);
        INDArray b = Nd4j.randn(DataType.FLOAT, oc);
        int oh1 = h + 2 * p - d * (k - 1), ow1 = w + 2 * p - d * (k - 1);
        int oh = (oh1 - 1) / s + 1, ow = (ow1 - 1) / s + 1;
        INDArray full = Nd4j.create(DataType.FLOAT, n, oc, oh1, ow1);
        AtrousOps.forward(x, wt, b, full, p, p, d, d);
        INDArrayIndex[] sub = {NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, s, oh1),
                NDArrayIndex.interval(0, s, ow1)};
        INDArray out = Nd4j.create(DataType.FLOAT, n, oc, oh, ow);
        DnnlConvOps.forward(x, wt, b, out, s, s, p, p, d, d);
        assertClose("strided out", full.get(sub).dup('c'), out);

        INDArray dy = Nd4j.randn(DataType.FLOAT, n, oc, oh, ow);
        INDArray dyFull = Nd4j.create(DataType.FLOAT, n, oc, oh1, ow1);
        dyFull.get(sub).assign(dy);
        INDArray dxRef = Nd4j.create(DataType.FLOAT, n, ic, h, w), dWRef = Nd4j.create(DataType.FLOAT, oc, ic, k, k);
        INDArray dbRef = Nd4j.create(DataType.FLOAT, oc);
        AtrousOps.backward(x, wt, dyFull, dxRef, dWRef, dbRef, p, p, d, d);
        INDArray dx = Nd4j.create(DataType.FLOAT, n, ic, h, w), dW = Nd4j.create(DataType.FLOAT, oc, ic, k, k);
        INDArray db = Nd4j.create(DataType.FLOAT, oc);
        DnnlConvOps.backward(x, wt, dy, dx, dW, db, s, s, p, p, d, d);
        assertClose("strided dx", dxRef, dx);
        assertClose("strided dW", dWRef, dW);
        assertClose("strided db", dbRef, db);
    }

    @Test
    void reluPostOpEqualsTheConvolutionFollowedByRelu() {
        Nd4j.getRandom().setSeed(17);
        INDArray x = Nd4j.randn(DataType.FLOAT, 2, 32, 14, 13), w = Nd4j.randn(DataType.FLOAT, 48, 32, 3, 3);
        INDArray b = Nd4j.randn(DataType.FLOAT, 48);
        INDArray expected = Nd4j.create(DataType.FLOAT, 2, 48, 14, 13);
        AtrousOps.forward(x, w, b, expected, 1, 1, 1, 1);
        INDArray plain = expected.dup();
        expected = Transforms.relu(expected, true);
        assertTrue(plain.minNumber().doubleValue() < 0, "some outputs must be negative for the test to mean anything");
        for (boolean bias : new boolean[]{true, false}) {
            INDArray ref = bias ? expected : Transforms.relu(plain.sub(b.reshape(1, 48, 1, 1)), true);
            INDArray out = Nd4j.create(DataType.FLOAT, 2, 48, 14, 13);
            DnnlConvOps.forward(x, w, bias ? b : null, out, 1, 1, 1, 1, 1, 1, true);
            assertClose("relu out, bias " + bias, ref, out);
        }
        // The plan with the post-op is cached apart from the one without: the same shape without relu stays linear.
        INDArray out = Nd4j.create(DataType.FLOAT, 2, 48, 14, 13);
        DnnlConvOps.forward(x, w, b, out, 1, 1, 1, 1, 1, 1, false);
        assertClose("linear out after relu", plain, out);
    }

    @Test
    void rejectsWrongShapesAndTypes() {
        INDArray x = Nd4j.randn(DataType.FLOAT, 1, 4, 8, 8), w = Nd4j.randn(DataType.FLOAT, 4, 4, 3, 3);
        assertThrows(IllegalArgumentException.class,
                () -> DnnlConvOps.forward(x, w, null, Nd4j.create(DataType.FLOAT, 1, 4, 7, 8), 2, 2, 2, 2));
        assertFalse(DnnlConvOps.supports(x.castTo(DataType.DOUBLE)));
        assertTrue(DnnlConvOps.supports(x));
        String impl = DnnlConvOps.describe(x, w, true, 1, 1, 2, 2, 2, 2);
        assertTrue(impl.contains("fwd=") && impl.contains("bwd_data=") && impl.contains("bwd_weights="), impl);
    }

    /** Random x, w, b and dy of the given geometry; DnnlConvOps and AtrousOps must agree on every output. */
    private static void compare(int n, int ic, int h, int w, int oc, int kh, int kw, int ph, int pw, int dh, int dw,
                                boolean bias) {
        String tag = String.format("[%d,%d,%d,%d]->%d k%dx%d p(%d,%d) d(%d,%d)%s", n, ic, h, w, oc, kh, kw, ph, pw,
                dh, dw, bias ? " +b" : "");
        INDArray x = Nd4j.randn(DataType.FLOAT, n, ic, h, w);
        INDArray wt = Nd4j.randn(DataType.FLOAT, oc, ic, kh, kw).muli(1.0 / Math.sqrt(ic * kh * kw));
        INDArray b = bias ? Nd4j.randn(DataType.FLOAT, oc) : null;
        int oh = h + 2 * ph - dh * (kh - 1), ow = w + 2 * pw - dw * (kw - 1);

        INDArray expected = Nd4j.create(DataType.FLOAT, n, oc, oh, ow);
        AtrousOps.forward(x, wt, b, expected, ph, pw, dh, dw);
        INDArray out = Nd4j.valueArrayOf(new long[] {n, oc, oh, ow}, Float.NaN, DataType.FLOAT);
        DnnlConvOps.forward(x, wt, b, out, ph, pw, dh, dw);
        assertClose(tag + " out", expected, out);

        INDArray dy = Nd4j.randn(DataType.FLOAT, n, oc, oh, ow);
        INDArray dxRef = Nd4j.create(DataType.FLOAT, n, ic, h, w), dWRef = Nd4j.create(DataType.FLOAT, oc, ic, kh, kw);
        INDArray dbRef = bias ? Nd4j.create(DataType.FLOAT, oc) : null;
        AtrousOps.backward(x, wt, dy, dxRef, dWRef, dbRef, ph, pw, dh, dw);
        INDArray dx = Nd4j.valueArrayOf(new long[] {n, ic, h, w}, Float.NaN, DataType.FLOAT);
        INDArray dW = Nd4j.valueArrayOf(new long[] {oc, ic, kh, kw}, Float.NaN, DataType.FLOAT);
        INDArray db = bias ? Nd4j.valueArrayOf(new long[] {oc}, Float.NaN, DataType.FLOAT) : null;
        DnnlConvOps.backward(x, wt, dy, dx, dW, db, ph, pw, dh, dw);
        assertClose(tag + " dx", dxRef, dx);
        assertClose(tag + " dW", dWRef, dW);
        if (bias) {
            assertClose(tag + " db", dbRef, db);
        }
    }

    /** {@code max |actual - expected| <= TOL * max |expected|} (and no NaN left in {@code actual}). */
    private static void assertClose(String what, INDArray expected, INDArray actual) {
        assertEquals(expected.length(), actual.length(), what + ": length");
        double[] e = expected.dup('c').data().asDouble(), a = actual.dup('c').data().asDouble();
        double scale = 0, err = 0;
        for (int i = 0; i < e.length; i++) {
            scale = Math.max(scale, Math.abs(e[i]));
            double diff = Math.abs(a[i] - e[i]);
            if (Double.isNaN(diff)) {
                throw new AssertionError(what + ": NaN at " + i + " (expected " + e[i] + ")");
            }
            err = Math.max(err, diff);
        }
        assertTrue(err <= TOL * Math.max(scale, 1e-12), what + ": max |diff| " + err + " vs max |expected| " + scale);
    }
}
