package io.segnet.core.engine.dnnl;

import io.segnet.core.engine.kernels.BatchNormOps;
import io.segnet.core.engine.kernels.Buf;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import static org.bytedeco.dnnl.global.dnnl.dnnl_nChw16c;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nChw8c;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nhwc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DnnlBatchNormOps} against {@link BatchNormOps} (itself checked against PyTorch goldens) in FLOAT: outputs,
 * running statistics, and the input, scale and shift gradients, in training and inference mode, with and without the
 * fused ReLU, to 1e-4 of the largest reference magnitude.
 *
 * <p>With the fused ReLU, the reference backward pass takes its gradient mask from oneDNN's output: a pre-activation
 * within float rounding of zero (one in a few million values) can fall on either side of the ReLU's kink in float and
 * in BatchNormOps's double arithmetic, and then that element's gradient legitimately differs by
 * {@code gamma invStd dy}. The outputs themselves are compared to the tolerance.
 */
class DnnlBatchNormOpsTest {
    private static final double TOL = 1e-4;
    private static final double MOMENTUM = 0.1, EPS = 1e-5;

    @BeforeAll
    static void binding() {
        assertTrue(DnnlBatchNormOps.available(), "oneDNN binding did not load");
    }

    @Test
    void trainingModeChannelsMultipleOf16() {
        Nd4j.getRandom().setSeed(1);
        for (boolean relu : new boolean[] {false, true}) {
            compareTraining(2, 16, 9, 11, relu);
            compareTraining(4, 64, 16, 16, relu);
        }
    }

    @Test
    void trainingModeOddSizes() {
        Nd4j.getRandom().setSeed(2);
        for (boolean relu : new boolean[] {false, true}) {
            compareTraining(3, 5, 7, 3, relu);   // 5 channels: no blocked layout without padding
            compareTraining(2, 24, 5, 7, relu);  // multiple of 8, not of 16
            compareTraining(1, 20, 13, 1, relu);
            compareTraining(2, 3, 1, 1, relu);   // two values per channel
            compareTraining(5, 33, 3, 2, relu);
        }
    }

    @Test
    void inferenceMode() {
        Nd4j.getRandom().setSeed(3);
        for (boolean relu : new boolean[] {false, true}) {
            compareInference(2, 16, 9, 11, relu);
            compareInference(3, 5, 7, 3, relu);
            compareInference(1, 24, 4, 6, relu);
            compareInference(4, 64, 8, 8, relu);
        }
    }

    @Test
    void everyLayoutAgrees() {
        Nd4j.getRandom().setSeed(4);
        int[] tags = {dnnl_nchw, dnnl_nhwc, dnnl_nChw8c, dnnl_nChw16c};
        try {
            for (int tag : tags) {
                DnnlBatchNormOps.forceLayout(tag);
                for (boolean relu : new boolean[] {false, true}) {
                    compareTraining(2, 16, 6, 5, relu);
                    compareTraining(3, 5, 4, 3, relu);
                    compareInference(2, 16, 6, 5, relu);
                }
            }
        } finally {
            DnnlBatchNormOps.forceLayout(0);
        }
    }

    @Test
    void benchmarkShapes() {
        // 16384 and 172032 values per channel, non-zero means: float accumulation must stay within tolerance.
        Nd4j.getRandom().setSeed(5);
        compareTraining(4, 64, 64, 64, true);
        compareTraining(32, 16, 64, 84, false);
    }

    @Test
    void paramsAndGradientsAsViewsIntoFlatVectors() {
        Nd4j.getRandom().setSeed(6);
        int n = 2, c = 16, h = 5, w = 6;
        INDArray x = Nd4j.randn(DataType.FLOAT, n, c, h, w).muli(2).addi(0.5);
        INDArray params = Nd4j.rand(DataType.FLOAT, 1, 3 + 4 * c);
        INDArray gamma = view(params, 3, c), beta = view(params, 3 + c, c);
        INDArray rm = view(params, 3 + 2 * c, c), rv = view(params, 3 + 3 * c, c);
        gamma.assign(Nd4j.rand(DataType.FLOAT, c).addi(0.5));
        beta.assign(Nd4j.randn(DataType.FLOAT, c));
        rm.assign(Nd4j.randn(DataType.FLOAT, c));
        rv.assign(Nd4j.rand(DataType.FLOAT, c).addi(0.5));
        assertTrue(Buf.isContiguous(gamma) && gamma.offset() > 0 && rv.offset() > 0);
        INDArray paramsBefore = params.dup();
        INDArray grads = Nd4j.rand(DataType.FLOAT, 1, 5 + 2 * c);
        INDArray dGamma = view(grads, 5, c), dBeta = view(grads, 5 + c, c);
        INDArray gradsBefore = grads.dup();

        INDArray rmRef = rm.dup(), rvRef = rv.dup(), outRef = Nd4j.create(DataType.FLOAT, n, c, h, w);
        BatchNormOps.BatchStats sRef = BatchNormOps.forwardTraining(x, gamma.dup(), beta.dup(), rmRef, rvRef,
                MOMENTUM, EPS, true, outRef);
        INDArray out = Nd4j.create(DataType.FLOAT, n, c, h, w);
        DnnlBatchNormOps.BatchStats s = DnnlBatchNormOps.forwardTraining(x, gamma, beta, rm, rv, MOMENTUM, EPS, true,
                out);
        assertClose("out", outRef, out);
        assertClose("running mean", rmRef, rm);
        assertClose("running var", rvRef, rv);

        INDArray dy = Nd4j.randn(DataType.FLOAT, n, c, h, w);
        INDArray dxRef = Nd4j.create(DataType.FLOAT, n, c, h, w);
        INDArray dgRef = Nd4j.create(DataType.FLOAT, c), dbRef = Nd4j.create(DataType.FLOAT, c);
        BatchNormOps.backwardTraining(x, gamma.dup(), sRef, true, out, dy, dxRef, dgRef, dbRef);
        INDArray dx = Nd4j.create(DataType.FLOAT, n, c, h, w);
        DnnlBatchNormOps.backwardTraining(x, gamma, s, true, out, dy, dx, dGamma, dBeta);
        assertClose("dx", dxRef, dx);
        assertClose("dGamma", dgRef, dGamma);
        assertClose("dBeta", dbRef, dBeta);

        // Nothing outside the views was touched.
        assertEquals(paramsBefore.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, 3 + 2 * c)),
                params.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, 3 + 2 * c)));
        assertEquals(gradsBefore.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, 5)),
                grads.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, 5)));
    }

    @Test
    void reusedStatisticsAndReluMaskFromTheOutput() {
        Nd4j.getRandom().setSeed(7);
        int n = 2, c = 16, h = 6, w = 7;
        INDArray gamma = Nd4j.rand(DataType.FLOAT, c).addi(0.5), beta = Nd4j.randn(DataType.FLOAT, c);
        DnnlBatchNormOps.BatchStats s = null;
        for (int rep = 0; rep < 3; rep++) {
            INDArray x = Nd4j.randn(DataType.FLOAT, n, c, h, w).muli(rep + 1);
            INDArray outRef = Nd4j.create(DataType.FLOAT, n, c, h, w), out = Nd4j.create(DataType.FLOAT, n, c, h, w);
            BatchNormOps.BatchStats sRef = BatchNormOps.forwardTraining(x, gamma, beta, null, null, MOMENTUM, EPS,
                    true, outRef);
            DnnlBatchNormOps.BatchStats previous = s;
            s = DnnlBatchNormOps.forwardTraining(x, gamma, beta, null, null, MOMENTUM, EPS, true, out, previous);
            assertTrue(s.hasReluMask());
            assertClose("out " + rep, outRef, out);
            assertClose("mean " + rep, Nd4j.createFromArray(sRef.mean()), Nd4j.createFromArray(s.mean()));
            assertClose("invStd " + rep, Nd4j.createFromArray(sRef.invStd()), Nd4j.createFromArray(s.invStd()));

            INDArray dy = Nd4j.randn(DataType.FLOAT, n, c, h, w);
            INDArray dxRef = Nd4j.create(DataType.FLOAT, n, c, h, w);
            INDArray dgRef = Nd4j.create(DataType.FLOAT, c), dbRef = Nd4j.create(DataType.FLOAT, c);
            BatchNormOps.backwardTraining(x, gamma, sRef, true, out, dy, dxRef, dgRef, dbRef);
            INDArray dx = Nd4j.create(DataType.FLOAT, n, c, h, w);
            INDArray dg = Nd4j.create(DataType.FLOAT, c), db = Nd4j.create(DataType.FLOAT, c);
            DnnlBatchNormOps.backwardTraining(x, gamma, s, true, out, dy, dx, dg, db);
            assertClose("dx " + rep, dxRef, dx);
            assertClose("dGamma " + rep, dgRef, dg);
            assertClose("dBeta " + rep, dbRef, db);

            // Statistics without a mask (forward without ReLU), ReLU applied outside: backward masks with the output.
            INDArray plain = Nd4j.create(DataType.FLOAT, n, c, h, w);
            DnnlBatchNormOps.BatchStats s2 = DnnlBatchNormOps.forwardTraining(x, gamma, beta, null, null, MOMENTUM,
                    EPS, false, plain);
            assertFalse(s2.hasReluMask());
            INDArray relued = Transforms.relu(plain, true);
            assertClose("relu(out) " + rep, outRef, relued);
            DnnlBatchNormOps.backwardTraining(x, gamma, s2, true, relued, dy, dx, dg, db);
            assertClose("dx via output mask " + rep, dxRef, dx);
            assertClose("dGamma via output mask " + rep, dgRef, dg);
            assertClose("dBeta via output mask " + rep, dbRef, db);
        }
    }

    @Test
    void stridedOutputAndInputs() {
        Nd4j.getRandom().setSeed(8);
        int n = 2, c = 16, h = 5, w = 4;
        INDArray x = Nd4j.randn(DataType.FLOAT, n, h, w, c).permute(0, 3, 1, 2);
        assertFalse(Buf.isContiguous(x));
        INDArray gamma = Nd4j.rand(DataType.FLOAT, c).addi(0.5), beta = Nd4j.randn(DataType.FLOAT, c);
        INDArray outRef = Nd4j.create(DataType.FLOAT, n, c, h, w);
        BatchNormOps.forwardTraining(x.dup('c'), gamma, beta, null, null, MOMENTUM, EPS, false, outRef);
        INDArray out = Nd4j.create(DataType.FLOAT, n, h, w, c).permute(0, 3, 1, 2);
        DnnlBatchNormOps.forwardTraining(x, gamma, beta, null, null, MOMENTUM, EPS, false, out);
        assertClose("permuted out", outRef, out);
    }

    @Test
    void supportsAndRejects() {
        INDArray x = Nd4j.randn(DataType.FLOAT, 2, 4, 3, 3);
        assertTrue(DnnlBatchNormOps.supports(x));
        assertFalse(DnnlBatchNormOps.supports(x.castTo(DataType.DOUBLE)));
        INDArray g = Nd4j.ones(DataType.FLOAT, 4), b = Nd4j.zeros(DataType.FLOAT, 4);
        assertThrows(IllegalArgumentException.class, () -> DnnlBatchNormOps.forwardTraining(x, g, b, null, null,
                MOMENTUM, EPS, false, Nd4j.create(DataType.FLOAT, 2, 4, 3, 4)));
        assertThrows(IllegalArgumentException.class, () -> DnnlBatchNormOps.forwardTraining(x, Nd4j.ones(
                DataType.FLOAT, 3), b, null, null, MOMENTUM, EPS, false, Nd4j.create(DataType.FLOAT, 2, 4, 3, 3)));
        assertThrows(IllegalArgumentException.class, () -> DnnlBatchNormOps.forwardInference(
                x.castTo(DataType.DOUBLE), g, b, g, g, EPS, false, Nd4j.create(DataType.DOUBLE, 2, 4, 3, 3)));
        String impl = DnnlBatchNormOps.describe(Nd4j.create(DataType.FLOAT, 4, 64, 8, 8), true);
        assertTrue(impl.contains("fwd=") && impl.contains("bwd="), impl);
    }

    /** Training forward (with running statistics) and backward on random data; both implementations must agree. */
    private static void compareTraining(int n, int c, int h, int w, boolean relu) {
        String tag = String.format("train [%d,%d,%d,%d]%s", n, c, h, w, relu ? " relu" : "");
        INDArray x = Nd4j.randn(DataType.FLOAT, n, c, h, w).muli(3).addi(Nd4j.randn(DataType.FLOAT, 1, c, 1, 1));
        INDArray gamma = Nd4j.rand(DataType.FLOAT, c).addi(0.5), beta = Nd4j.randn(DataType.FLOAT, c);
        INDArray rm0 = Nd4j.randn(DataType.FLOAT, c), rv0 = Nd4j.rand(DataType.FLOAT, c).addi(0.5);

        INDArray rmRef = rm0.dup(), rvRef = rv0.dup(), outRef = Nd4j.create(DataType.FLOAT, n, c, h, w);
        BatchNormOps.BatchStats sRef = BatchNormOps.forwardTraining(x, gamma, beta, rmRef, rvRef, MOMENTUM, EPS,
                relu, outRef);
        INDArray rm = rm0.dup(), rv = rv0.dup();
        INDArray out = Nd4j.valueArrayOf(new long[] {n, c, h, w}, Float.NaN, DataType.FLOAT);
        DnnlBatchNormOps.BatchStats s = DnnlBatchNormOps.forwardTraining(x, gamma, beta, rm, rv, MOMENTUM, EPS,
                relu, out);
        assertEquals(relu, s.hasReluMask(), tag);
        assertClose(tag + " out", outRef, out);
        assertClose(tag + " running mean", rmRef, rm);
        assertClose(tag + " running var", rvRef, rv);
        assertClose(tag + " batch mean", Nd4j.createFromArray(sRef.mean()), Nd4j.createFromArray(s.mean()));

        INDArray dy = Nd4j.randn(DataType.FLOAT, n, c, h, w);
        INDArray dxRef = Nd4j.create(DataType.FLOAT, n, c, h, w);
        INDArray dgRef = Nd4j.create(DataType.FLOAT, c), dbRef = Nd4j.create(DataType.FLOAT, c);
        BatchNormOps.backwardTraining(x, gamma, sRef, relu, out, dy, dxRef, dgRef, dbRef);
        INDArray dx = Nd4j.valueArrayOf(new long[] {n, c, h, w}, Float.NaN, DataType.FLOAT);
        INDArray dg = Nd4j.valueArrayOf(new long[] {c}, Float.NaN, DataType.FLOAT);
        INDArray db = Nd4j.valueArrayOf(new long[] {c}, Float.NaN, DataType.FLOAT);
        DnnlBatchNormOps.backwardTraining(x, gamma, s, relu, out, dy, dx, dg, db);
        // dx = gamma invStd (dy - mean(dy) - xhat mean(dy xhat)) cancels almost to zero when there are very few values
        // per channel (exactly, but for eps, with two): measure its error against the size of the cancelling terms.
        double terms = dy.amaxNumber().doubleValue() * gamma.amaxNumber().doubleValue()
                * Nd4j.createFromArray(sRef.invStd()).amaxNumber().doubleValue();
        assertClose(tag + " dx", dxRef, dx, terms);
        assertClose(tag + " dGamma", dgRef, dg);
        assertClose(tag + " dBeta", dbRef, db);
    }

    /** Inference forward and backward with given running statistics; both implementations must agree. */
    private static void compareInference(int n, int c, int h, int w, boolean relu) {
        String tag = String.format("inference [%d,%d,%d,%d]%s", n, c, h, w, relu ? " relu" : "");
        INDArray x = Nd4j.randn(DataType.FLOAT, n, c, h, w).muli(2);
        INDArray gamma = Nd4j.rand(DataType.FLOAT, c).addi(0.5), beta = Nd4j.randn(DataType.FLOAT, c);
        INDArray rm = Nd4j.randn(DataType.FLOAT, c), rv = Nd4j.rand(DataType.FLOAT, c).addi(0.5);
        INDArray rm0 = rm.dup(), rv0 = rv.dup();

        INDArray outRef = Nd4j.create(DataType.FLOAT, n, c, h, w);
        BatchNormOps.forwardInference(x, gamma, beta, rm, rv, EPS, relu, outRef);
        INDArray out = Nd4j.valueArrayOf(new long[] {n, c, h, w}, Float.NaN, DataType.FLOAT);
        DnnlBatchNormOps.forwardInference(x, gamma, beta, rm, rv, EPS, relu, out);
        assertClose(tag + " out", outRef, out);
        assertEquals(rm0, rm, tag + " running mean unchanged");
        assertEquals(rv0, rv, tag + " running var unchanged");

        INDArray dy = Nd4j.randn(DataType.FLOAT, n, c, h, w);
        INDArray dxRef = Nd4j.create(DataType.FLOAT, n, c, h, w);
        INDArray dgRef = Nd4j.create(DataType.FLOAT, c), dbRef = Nd4j.create(DataType.FLOAT, c);
        BatchNormOps.backwardInference(x, gamma, rm, rv, EPS, relu, out, dy, dxRef, dgRef, dbRef);
        INDArray dx = Nd4j.valueArrayOf(new long[] {n, c, h, w}, Float.NaN, DataType.FLOAT);
        INDArray dg = Nd4j.valueArrayOf(new long[] {c}, Float.NaN, DataType.FLOAT);
        INDArray db = Nd4j.valueArrayOf(new long[] {c}, Float.NaN, DataType.FLOAT);
        DnnlBatchNormOps.backwardInference(x, gamma, rm, rv, EPS, relu, out, dy, dx, dg, db);
        assertClose(tag + " dx", dxRef, dx);
        assertClose(tag + " dGamma", dgRef, dg);
        assertClose(tag + " dBeta", dbRef, db);
    }

    private static INDArray view(INDArray flat, int from, int len) {
        return flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(from, from + len));
    }

    /** {@code max |actual - expected| <= TOL * max |expected|} (and no NaN left in {@code actual}). */
    private static void assertClose(String what, INDArray expected, INDArray actual) {
        assertClose(what, expected, actual, 0);
    }

    /** {@code max |actual - expected| <= TOL * max(max |expected|, minScale)} (and no NaN left in {@code actual}). */
    private static void assertClose(String what, INDArray expected, INDArray actual, double minScale) {
        assertEquals(expected.length(), actual.length(), what + ": length");
        double[] e = expected.dup('c').data().asDouble(), a = actual.dup('c').data().asDouble();
        double scale = minScale, err = 0;
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
