package io.segnet.core.loss;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LossOpsTest {

    /**
     * FLOAT logits take crossEntropy's float path (vectorised exponentials); it must give the double path's loss and
     * gradient to float rounding, on planes of odd size, logits up to +-60 (the max shift matters), class weights
     * and ignored pixels.
     */
    @Test
    void crossEntropyInFloatMatchesTheDoublePath() {
        Nd4j.getRandom().setSeed(11);
        long n = 3, c = 7, h = 13, w = 29;
        INDArray z = Nd4j.randn(DataType.DOUBLE, n, c, h, w).muli(20);
        INDArray y = Nd4j.rand(DataType.DOUBLE, n, 1, h, w).muli(c);
        y = org.nd4j.linalg.ops.transforms.Transforms.floor(y);
        for (int i = 0; i < 40; i++) {
            y.putScalar(new long[]{i % n, 0, (i * 5) % h, (i * 11) % w}, 255);
        }
        double[] weights = {0.5, 1, 2, 0.1, 3, 1, 0.7};
        for (double[] cw : new double[][]{null, weights}) {
            INDArray g64 = Nd4j.create(DataType.DOUBLE, z.shape()), g32 = Nd4j.create(DataType.FLOAT, z.shape());
            INDArray z32 = z.castTo(DataType.FLOAT);
            double l64 = LossOps.crossEntropy(z32.castTo(DataType.DOUBLE), y, cw, 255, g64, 0.75);
            double l32 = LossOps.crossEntropy(z32, y.castTo(DataType.FLOAT), cw, 255, g32, 0.75);
            double lossOnly = LossOps.crossEntropy(z32, y.castTo(DataType.FLOAT), cw, 255, null, 0.75);
            assertEquals(l64, l32, 1e-6 * Math.abs(l64));
            assertEquals(l32, lossOnly);
            double scale = g64.amaxNumber().doubleValue();
            double worst = g32.castTo(DataType.DOUBLE).sub(g64).amaxNumber().doubleValue();
            assertEquals(0, worst, 1e-6 * scale, "largest gradient difference, weights " + (cw != null));
            assertEquals(0.0, g32.getDouble(0, 0, 0, 0), "ignored pixels have no gradient");
        }
    }

    /**
     * Where the label is confidently right, its gradient w (p - 1) is tiny; computed as p - 1 in float it is 0, and even
     * in double it is off by 1e-3 at p = 1 - 2e-13. The float path sums the other classes apart. Expected: softmax in
     * double with the label's gradient written as -(sum of the others) / sum, every element to 1e-6 of itself.
     */
    @Test
    void crossEntropyInFloatKeepsTheGradientOfConfidentPixels() {
        float[] logits = {30f, 12f, -5f, 20f, 0f, 0f, 0f, 9f, 0f, 16.5f, 0.001f, 0f};
        int[] labels = {0, 0, 2, 1};
        INDArray z = Nd4j.create(logits, new long[]{1, 3, 2, 2});
        INDArray y = Nd4j.create(new float[]{0, 0, 2, 1}, new long[]{1, 1, 2, 2});
        INDArray g32 = Nd4j.create(DataType.FLOAT, 1, 3, 2, 2);
        LossOps.crossEntropy(z, y, null, 255, g32, 1.0);
        for (int p = 0; p < 4; p++) {
            double max = Math.max(logits[p], Math.max(logits[4 + p], logits[8 + p])), sum = 0, others = 0;
            for (int k = 0; k < 3; k++) {
                sum += Math.exp(logits[4 * k + p] - max);
                others += k == labels[p] ? 0 : Math.exp(logits[4 * k + p] - max);
            }
            for (int k = 0; k < 3; k++) {
                double want = (k == labels[p] ? -others : Math.exp(logits[4 * k + p] - max)) / sum / 4;
                assertEquals(want, g32.getDouble(0, k, p / 2, p % 2), 1e-6 * Math.abs(want),
                        "pixel " + p + " class " + k);
            }
        }
    }
}
