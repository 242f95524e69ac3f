package io.segnet.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Metrics on confusion matrices whose every value was worked out by hand (fractions in the comments). */
class SegmentationMetricsTest {

    private static final double EPS = 1e-12;
    private static final double NAN = Double.NaN;

    /**
     * {@link ConfusionMatrixTest#EXPECTED}: t = [4, 3, 1, 0, 0], p = [3, 3, 1, 1, 0], TP = [3, 2, 1, 0, 0]. Class 3
     * is predicted once but absent from the truth; class 4 is absent from both.
     */
    @Test
    void fiveClassesWithIgnoredPixelsAPredictedOnlyClassAndAnAbsentClass() {
        ConfusionMatrix m = new ConfusionMatrix(5).add(ConfusionMatrixTest.PREDICTION, ConfusionMatrixTest.TRUTH);

        assertEquals(6.0 / 8, SegmentationMetrics.pixelAccuracy(m), EPS);
        assertArrayEquals(new double[] {3.0 / 4, 2.0 / 3, 1, NAN, NAN}, SegmentationMetrics.classAccuracy(m), EPS);
        assertEquals((3.0 / 4 + 2.0 / 3 + 1) / 3, SegmentationMetrics.meanPixelAccuracy(m), EPS); // 29/36

        // IoU: 3/(4+3-3), 2/(3+3-2), 1/(1+1-1), 0/(0+1-0) = 0 (predicted, absent from truth), 0/0 = NaN.
        assertArrayEquals(new double[] {3.0 / 4, 2.0 / 4, 1, 0, NAN}, SegmentationMetrics.classIoU(m), EPS);
        assertEquals((0.75 + 0.5 + 1 + 0) / 4, SegmentationMetrics.meanIoU(m), EPS); // 0.5625
        // FWIoU: (4 * 3/4 + 3 * 1/2 + 1 * 1 + 0 * 0) / 8; classes 3 and 4 have weight 0.
        assertEquals(5.5 / 8, SegmentationMetrics.frequencyWeightedIoU(m), EPS);

        // Dice: 2*3/(4+3), 2*2/(3+3), 2/(1+1), 0/(0+1), 0/0.
        assertArrayEquals(new double[] {6.0 / 7, 4.0 / 6, 1, 0, NAN}, SegmentationMetrics.classDice(m), EPS);
        assertEquals(53.0 / 84, SegmentationMetrics.meanDice(m), EPS); // (6/7 + 2/3 + 1 + 0) / 4
        // Precision: 3/3, 2/3, 1/1, 0/1, 0/0.
        assertArrayEquals(new double[] {1, 2.0 / 3, 1, 0, NAN}, SegmentationMetrics.classPrecision(m), EPS);
        assertEquals(2.0 / 3, SegmentationMetrics.meanPrecision(m), EPS);
        assertArrayEquals(SegmentationMetrics.classAccuracy(m), SegmentationMetrics.classRecall(m), 0);
        assertEquals(SegmentationMetrics.meanPixelAccuracy(m), SegmentationMetrics.meanRecall(m), 0);

        // F1 equals Dice. F2 = 5TP / (5TP + 4FN + FP): 15/(15+4), 10/(10+4+1), 5/5, 0/(0+0+1), 0/0.
        assertArrayEquals(SegmentationMetrics.classDice(m), SegmentationMetrics.classFScore(m, 1), EPS);
        assertArrayEquals(new double[] {15.0 / 19, 10.0 / 15, 1, 0, NAN}, SegmentationMetrics.classFScore(m, 2), EPS);
        assertEquals((15.0 / 19 + 2.0 / 3 + 1 + 0) / 4, SegmentationMetrics.meanFScore(m, 2), EPS);
    }

    /**
     * Two classes; truth [0,0,0,0,1,1,1,1,1,255], prediction [0,0,1,1,1,1,1,1,0,1]: n00 = 2, n01 = 2, n10 = 1,
     * n11 = 4, one ignored pixel. t = [4, 5], p = [3, 6].
     */
    @Test
    void twoClasses() {
        int[] truth = {0, 0, 0, 0, 1, 1, 1, 1, 1, 255};
        int[] prediction = {0, 0, 1, 1, 1, 1, 1, 1, 0, 1};
        ConfusionMatrix m = new ConfusionMatrix(2).add(prediction, truth);
        assertArrayEquals(new long[][] {{2, 2}, {1, 4}}, m.toArray());

        assertEquals(6.0 / 9, SegmentationMetrics.pixelAccuracy(m), EPS);
        assertArrayEquals(new double[] {0.5, 0.8}, SegmentationMetrics.classAccuracy(m), EPS);
        assertEquals(0.65, SegmentationMetrics.meanPixelAccuracy(m), EPS);
        assertArrayEquals(new double[] {2.0 / 5, 4.0 / 7}, SegmentationMetrics.classIoU(m), EPS);
        assertEquals(17.0 / 35, SegmentationMetrics.meanIoU(m), EPS);
        assertEquals(52.0 / 105, SegmentationMetrics.frequencyWeightedIoU(m), EPS); // (4*2/5 + 5*4/7) / 9
        assertArrayEquals(new double[] {4.0 / 7, 8.0 / 11}, SegmentationMetrics.classDice(m), EPS);
        assertArrayEquals(new double[] {2.0 / 3, 4.0 / 6}, SegmentationMetrics.classPrecision(m), EPS);
    }

    /**
     * 21 classes (PASCAL VOC's count). Each class i &lt; 20 has 10 ground-truth pixels: 8 predicted as i and 2 as
     * (i + 1) mod 20; class 20 appears nowhere, and 5 ignored pixels are predicted as class 0. So for i &lt; 20:
     * t_i = p_i = 10, TP = 8, IoU = 8/12, accuracy = precision = Dice = 0.8; class 20 is NaN everywhere.
     */
    @Test
    void twentyOneClasses() {
        int[] truth = new int[205];
        int[] prediction = new int[205];
        int k = 0;
        for (int i = 0; i < 20; i++) {
            for (int r = 0; r < 10; r++) {
                truth[k] = i;
                prediction[k] = r < 8 ? i : (i + 1) % 20;
                k++;
            }
        }
        for (; k < 205; k++) {
            truth[k] = 255;
            prediction[k] = 0;
        }
        ConfusionMatrix m = new ConfusionMatrix(21).add(prediction, truth);
        assertEquals(200, m.countedPixels());
        assertEquals(5, m.ignoredPixels());

        double[] iou = SegmentationMetrics.classIoU(m);
        double[] accuracy = SegmentationMetrics.classAccuracy(m);
        double[] precision = SegmentationMetrics.classPrecision(m);
        double[] dice = SegmentationMetrics.classDice(m);
        for (int i = 0; i < 20; i++) {
            assertEquals(2.0 / 3, iou[i], EPS, "IoU of class " + i);
            assertEquals(0.8, accuracy[i], EPS);
            assertEquals(0.8, precision[i], EPS);
            assertEquals(0.8, dice[i], EPS);
        }
        assertTrue(Double.isNaN(iou[20]) && Double.isNaN(accuracy[20]) && Double.isNaN(precision[20])
                && Double.isNaN(dice[20]));
        assertEquals(0.8, SegmentationMetrics.pixelAccuracy(m), EPS);
        assertEquals(0.8, SegmentationMetrics.meanPixelAccuracy(m), EPS);
        assertEquals(2.0 / 3, SegmentationMetrics.meanIoU(m), EPS);
        assertEquals(2.0 / 3, SegmentationMetrics.frequencyWeightedIoU(m), EPS);
        assertEquals(0.8, SegmentationMetrics.meanDice(m), EPS);
        assertEquals(0.8, SegmentationMetrics.meanFScore(m, 1), EPS);
    }

    @Test
    void emptyMatrixIsNaNEverywhere() {
        ConfusionMatrix m = new ConfusionMatrix(3);
        assertTrue(Double.isNaN(SegmentationMetrics.pixelAccuracy(m)));
        assertTrue(Double.isNaN(SegmentationMetrics.meanIoU(m)));
        assertTrue(Double.isNaN(SegmentationMetrics.frequencyWeightedIoU(m)));
        assertTrue(Double.isNaN(SegmentationMetrics.meanFScore(m, 1)));
    }

    @Test
    void inTruthButNeverPredictedGivesFScoreZeroWherePrecisionIsUndefined() {
        // Class 1 is in the truth but never predicted: precision 0/0, recall 0, F 0 (mmsegmentation: NaN).
        ConfusionMatrix m = new ConfusionMatrix(2).add(new int[] {0, 0}, new int[] {0, 1});
        assertTrue(Double.isNaN(SegmentationMetrics.classPrecision(m)[1]));
        assertEquals(0, SegmentationMetrics.classAccuracy(m)[1], 0);
        assertEquals(0, SegmentationMetrics.classFScore(m, 1)[1], 0);
        assertEquals(0, SegmentationMetrics.classIoU(m)[1], 0);
    }

    @Test
    void nanMeanSkipsNaN() {
        assertEquals(2, SegmentationMetrics.nanMean(new double[] {1, NAN, 3}), 0);
        assertTrue(Double.isNaN(SegmentationMetrics.nanMean(new double[] {NAN, NAN})));
        assertTrue(Double.isNaN(SegmentationMetrics.nanMean(new double[0])));
    }

    @Test
    void badBetaFails() {
        ConfusionMatrix m = new ConfusionMatrix(2);
        for (double beta : new double[] {0, -1, NAN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SegmentationMetrics.classFScore(m, beta));
            assertTrue(e.getMessage().contains("beta"), e.getMessage());
        }
    }
}
