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
}
