package io.segnet.core.layers;

import io.segnet.core.engine.dnnl.DnnlBatchNormOps;
import io.segnet.core.testutil.LayerHarness;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link BatchNorm} layer's FLOAT path (oneDNN, {@link DnnlBatchNormOps}) against its DOUBLE path
 * ({@code BatchNormOps}, gradient-checked): outputs, running statistics and gradients over several training steps and
 * in inference mode, with and without the fused ReLU.
 */
class BatchNormDnnlTest {
    private static final double TOL = 1e-4;

    @Test
    void floatPathThroughOneDnnMatchesDoublePath() {
        assertTrue(DnnlBatchNormOps.available(), "oneDNN binding did not load");
        for (FusedActivation act : new FusedActivation[] {FusedActivation.IDENTITY, FusedActivation.RELU}) {
            for (long c : new long[] {16, 5}) {
                compare(act, 3, c, 6, 7);
            }
        }
    }

    private static void compare(FusedActivation act, long n, long c, long h, long w) {
        String tag = act + " [" + n + "," + c + "," + h + "," + w + "]";
        Nd4j.getRandom().setSeed(c);
        LayerHarness f = LayerHarness.layer(new BatchNorm(c).activation(act), DataType.FLOAT, c, h, w);
        LayerHarness d = LayerHarness.layer(new BatchNorm(c).activation(act), DataType.DOUBLE, c, h, w);
        INDArray gamma = Nd4j.rand(DataType.DOUBLE, c).addi(0.5), beta = Nd4j.randn(DataType.DOUBLE, c);
        INDArray rm = Nd4j.randn(DataType.DOUBLE, c), rv = Nd4j.rand(DataType.DOUBLE, c).addi(0.5);
        for (LayerHarness l : new LayerHarness[] {f, d}) {
            l.setParam("gamma", gamma).setParam("beta", beta).setParam("runningMean", rm).setParam("runningVar", rv);
        }
        // Three training steps (the oneDNN path reuses its statistics' memory), then one in inference mode.
        for (int step = 0; step < 4; step++) {
            boolean training = step < 3;
            String t = tag + (training ? " training step " + step : " inference");
            INDArray x = Nd4j.randn(DataType.DOUBLE, n, c, h, w).muli(step + 1).addi(0.5);
            INDArray dy = Nd4j.randn(DataType.DOUBLE, n, c, h, w);
            INDArray outD = d.forward(training, x).dup();
            INDArray outF = f.forward(training, x.castTo(DataType.FLOAT)).dup();
            assertEquals(DataType.FLOAT, outF.dataType());
            assertClose(t + " out", outD, outF);
            assertClose(t + " running mean", d.param("runningMean"), f.param("runningMean"));
            assertClose(t + " running var", d.param("runningVar"), f.param("runningVar"));
            LayerHarness.Grads gD = d.backward(dy), gF = f.backward(dy.castTo(DataType.FLOAT));
            assertClose(t + " dx", gD.inputs()[0], gF.inputs()[0]);
            for (String p : new String[] {"gamma", "beta"}) {
                assertClose(t + " d" + p, gD.params().get(p), gF.params().get(p));
            }
        }
    }

    /** {@code max |actual - expected| <= TOL * max |expected|}. */
    private static void assertClose(String what, INDArray expected, INDArray actual) {
        double[] e = expected.dup('c').data().asDouble(), a = actual.dup('c').data().asDouble();
        assertEquals(e.length, a.length, what + ": length");
        double scale = 0, err = 0;
        for (int i = 0; i < e.length; i++) {
            scale = Math.max(scale, Math.abs(e[i]));
            err = Math.max(err, Math.abs(a[i] - e[i]));
        }
        assertTrue(err <= TOL * Math.max(scale, 1e-12), what + ": max |diff| " + err + " vs max |expected| " + scale);
    }
}
