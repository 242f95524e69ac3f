package io.segnet.core.loss;

import io.segnet.core.testutil.Assertions;
import io.segnet.core.testutil.Golden;
import io.segnet.core.testutil.GoldenCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImbalanceLossOpsTest {

    /** The loss of golden case {@code name} on (z, y), writing its gradient into grad (may be null). */
    private static double run(String name, INDArray z, INDArray y, INDArray grad) {
        return switch (name) {
            case "focal_g2" -> ImbalanceLossOps.focal(z, y, 2.0, Double.NaN, 255, grad, 1.0);
            case "focal_g1p5_a025" -> ImbalanceLossOps.focal(z, y, 1.5, 0.25, 255, grad, 1.0);
            case "tversky_a03_b07" -> ImbalanceLossOps.tversky(z, y, 0.3, 0.7, 255, grad, 1.0);
            case "jaccard_multiclass" -> ImbalanceLossOps.tversky(z, y, 1.0, 1.0, 255, grad, 1.0);
            case "ce_label_smoothing" -> ImbalanceLossOps.labelSmoothedCrossEntropy(z, y, null, 0.1, 255, grad, 1.0);
            case "ce_label_smoothing_weighted" -> ImbalanceLossOps.labelSmoothedCrossEntropy(z, y,
                    Golden.load(name).tensor("weight", DataType.DOUBLE).toDoubleVector(), 0.2, 255, grad, 1.0);
            case "lovasz_softmax" -> ImbalanceLossOps.lovaszSoftmax(z, y, null, false, 255, grad, 1.0);
            case "lovasz_softmax_per_image_weighted" -> ImbalanceLossOps.lovaszSoftmax(z, y,
                    Golden.load(name).tensor("weight", DataType.DOUBLE).toDoubleVector(), true, 255, grad, 1.0);
            case "ohem_t07_k20" -> ImbalanceLossOps.ohemCrossEntropy(z, y, null, 0.7, 20, 255, grad, 1.0);
            case "ohem_t01_k40_weighted" -> ImbalanceLossOps.ohemCrossEntropy(z, y,
                    Golden.load(name).tensor("weight", DataType.DOUBLE).toDoubleVector(), 0.1, 40, 255, grad, 1.0);
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"focal_g2", "focal_g1p5_a025", "tversky_a03_b07", "jaccard_multiclass",
            "ce_label_smoothing", "ce_label_smoothing_weighted", "lovasz_softmax", "lovasz_softmax_per_image_weighted",
            "ohem_t07_k20", "ohem_t01_k40_weighted"})
    void lossesMatchPyTorch(String name) {
        Golden g = Golden.load(name);
        for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            INDArray z = g.tensor("logits", type), y = g.tensor("labels", type);
            INDArray grad = Nd4j.createUninitialized(type, z.shape());
            double loss = run(name, z, y, grad);
            double tol = GoldenCheck.tolerance(type);
            assertEquals(g.scalar("loss"), loss, tol * Math.abs(g.scalar("loss")), name + " (" + type + ")");
            Assertions.assertClose(g.tensor("grad_logits", DataType.DOUBLE), grad, tol, name + " gradient (" + type + ")");
            if (type == DataType.DOUBLE) {
                double lossErr = Math.abs(loss - g.scalar("loss"));
                double gradErr = grad.sub(g.tensor("grad_logits", DataType.DOUBLE)).amaxNumber().doubleValue();
                System.out.printf("%s: max abs error vs PyTorch, loss %.3g, gradient %.3g%n", name, lossErr, gradErr);
            }
        }
    }

    /** Central differences in double precision on every logit, including ignored pixels (whose gradient is 0). */
    @ParameterizedTest
    @ValueSource(strings = {"focal_g2", "focal_g1p5_a025", "tversky_a03_b07", "jaccard_multiclass",
            "ce_label_smoothing", "ce_label_smoothing_weighted", "lovasz_softmax", "lovasz_softmax_per_image_weighted",
            "ohem_t07_k20", "ohem_t01_k40_weighted"})
    void gradientMatchesFiniteDifferencesInDouble(String name) {
        Golden g = Golden.load(name);
        INDArray z = g.tensor("logits", DataType.DOUBLE), y = g.tensor("labels", DataType.DOUBLE);
        INDArray grad = Nd4j.createUninitialized(DataType.DOUBLE, z.shape());
        run(name, z, y, grad);
        double h = 1e-6, worst = 0;
        for (long i = 0; i < z.length(); i++) {
            double v = z.getDouble(i);
            z.putScalar(i, v + h);
            double up = run(name, z, y, null);
            z.putScalar(i, v - h);
            double down = run(name, z, y, null);
            z.putScalar(i, v);
            double numeric = (up - down) / (2 * h), analytic = grad.getDouble(i);
            double err = Math.abs(numeric - analytic) / Math.max(1e-6, Math.abs(numeric) + Math.abs(analytic));
            worst = Math.max(worst, Math.abs(numeric - analytic) < 1e-9 ? 0 : err);
        }
        assertTrue(worst < 1e-5, name + ": worst relative error " + worst);
    }

    @Test
    void tverskyWithHalfWeightsMatchesTheDiceGolden() {
        Golden g = Golden.load("dice_multiclass_ignore");
        INDArray z = g.tensor("logits", DataType.DOUBLE), y = g.tensor("labels", DataType.DOUBLE);
        INDArray grad = Nd4j.createUninitialized(DataType.DOUBLE, z.shape());
        assertEquals(g.scalar("loss"), ImbalanceLossOps.tversky(z, y, 0.5, 0.5, 255, grad, 1.0), 1e-12);
        Assertions.assertClose(g.tensor("grad_logits", DataType.DOUBLE), grad, 1e-10, "Tversky(0.5, 0.5) vs smp Dice");
    }

    @Test
    void zeroSmoothingIsPlainCrossEntropyAndAllIgnoredGivesZero() {
        Golden g = Golden.load("ce_label_smoothing_weighted");
        INDArray z = g.tensor("logits", DataType.DOUBLE), y = g.tensor("labels", DataType.DOUBLE);
        double[] w = g.tensor("weight", DataType.DOUBLE).toDoubleVector();
        assertEquals(LossOps.crossEntropy(z, y, w, 255, null, 1),
                ImbalanceLossOps.labelSmoothedCrossEntropy(z, y, w, 0.0, 255, null, 1), 1e-12);
        INDArray ignored = y.like().assign(255);
        INDArray grad = z.like().assign(7);
        assertEquals(0.0, ImbalanceLossOps.focal(z, ignored, 2, 0.25, 255, grad, 1));
        assertEquals(0.0, grad.amaxNumber().doubleValue());
        grad.assign(7);
        assertEquals(0.0, ImbalanceLossOps.labelSmoothedCrossEntropy(z, ignored, w, 0.1, 255, grad, 1));
        assertEquals(0.0, grad.amaxNumber().doubleValue());
        grad.assign(7);
        assertEquals(0.0, ImbalanceLossOps.tversky(z, ignored, 0.3, 0.7, 255, grad, 1));
        assertEquals(0.0, grad.amaxNumber().doubleValue());
        grad.assign(7);
        assertEquals(0.0, ImbalanceLossOps.lovaszSoftmax(z, ignored, w, true, 255, grad, 1));
        assertEquals(0.0, grad.amaxNumber().doubleValue());
        grad.assign(7);
        assertEquals(0.0, ImbalanceLossOps.ohemCrossEntropy(z, ignored, w, 0.7, 10, 255, grad, 1));
        assertEquals(0.0, grad.amaxNumber().doubleValue());
    }

    /** A threshold of 1 keeps every pixel (all probabilities are below 1): OHEM is then the plain cross-entropy. */
    @Test
    void ohemKeepingEveryPixelIsCrossEntropyAndMinKeptKeepsThatMany() {
        Golden g = Golden.load("ohem_t01_k40_weighted");
        INDArray z = g.tensor("logits", DataType.DOUBLE), y = g.tensor("labels", DataType.DOUBLE);
        assertEquals(LossOps.crossEntropy(z, y, null, 255, null, 1),
                ImbalanceLossOps.ohemCrossEntropy(z, y, null, 1.0, 0, 255, null, 1), 1e-12);
        INDArray grad = z.like();
        ImbalanceLossOps.ohemCrossEntropy(z, y, null, 0.0, 7, 255, grad, 1);
        long keptPixels = 0;
        for (int i = 0; i < 2; i++) {
            for (int p = 0; p < 63; p++) {
                keptPixels += grad.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i),
                        org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(p / 9),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(p % 9)).amaxNumber().doubleValue() > 0 ? 1 : 0;
            }
        }
        assertEquals(14, keptPixels, "min_kept 7 per image, 2 images");
    }
}
