package io.segnet.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Compares segnet's metrics with a deliberately plain reference written here from the published formulas: per class,
 * count TP / FP / FN by testing every pixel (no confusion matrix), then apply each formula as written; means skip NaN.
 * Random maps with ignored pixels, classes absent from the truth, classes never predicted, and class counts 2, 5, 21.
 */
class ReferenceImplementationCrossCheckTest {

    private static final double EPS = 1e-12;
    private static final int IGNORE = 255;

    /** Per-class counts of one set of pixels, by direct pixel tests. */
    private record Counts(long[] tp, long[] fp, long[] fn, long counted, long correct) {
        static Counts of(int[] prediction, int[] truth, int from, int to, int classes) {
            long[] tp = new long[classes];
            long[] fp = new long[classes];
            long[] fn = new long[classes];
            long counted = 0;
            long correct = 0;
            for (int i = from; i < to; i++) {
                if (truth[i] == IGNORE) {
                    continue;
                }
                counted++;
                if (truth[i] == prediction[i]) {
                    correct++;
                }
                for (int c = 0; c < classes; c++) {
                    boolean isTruth = truth[i] == c;
                    boolean isPredicted = prediction[i] == c;
                    if (isTruth && isPredicted) {
                        tp[c]++;
                    } else if (isPredicted) {
                        fp[c]++;
                    } else if (isTruth) {
                        fn[c]++;
                    }
                }
            }
            return new Counts(tp, fp, fn, counted, correct);
        }
    }

    private static double div(double a, double b) {
        return b == 0 ? Double.NaN : a / b;
    }

    private static double nanMean(double[] values) {
        return Arrays.stream(values).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
    }

    /** Scores of one set of pixels: [iou, accuracy, precision, dice, f][class]. */
    private static double[][] classScores(Counts k, double beta) {
        int c = k.tp.length;
        double[][] s = new double[5][c];
        double b2 = beta * beta;
        for (int i = 0; i < c; i++) {
            double tp = k.tp[i];
            double fp = k.fp[i];
            double fn = k.fn[i];
            s[0][i] = div(tp, tp + fp + fn);
            s[1][i] = div(tp, tp + fn);
            s[2][i] = div(tp, tp + fp);
            s[3][i] = div(2 * tp, 2 * tp + fp + fn);
            s[4][i] = div((1 + b2) * tp, (1 + b2) * tp + b2 * fn + fp);
        }
        return s;
    }

    private static double fwIoU(Counts k) {
        double sum = 0;
        for (int i = 0; i < k.tp.length; i++) {
            double frequency = (double) (k.tp[i] + k.fn[i]) / k.counted;
            if (frequency > 0) {
                sum += frequency * k.tp[i] / (k.tp[i] + k.fp[i] + k.fn[i]);
            }
        }
        return k.counted == 0 ? Double.NaN : sum;
    }

    /** A random batch: labels from a random subset of classes, 10% ignored, predictions 70% right. */
    private static int[][] randomMaps(Random random, int classes, int pixels) {
        boolean[] present = new boolean[classes];
        for (int c = 0; c < classes; c++) {
            present[c] = random.nextInt(4) != 0;
        }
        present[random.nextInt(classes)] = true;
        boolean[] predictable = new boolean[classes];
        for (int c = 0; c < classes; c++) {
            predictable[c] = random.nextInt(5) != 0;
        }
        int[] truth = new int[pixels];
        int[] prediction = new int[pixels];
        for (int i = 0; i < pixels; i++) {
            int t;
            do {
                t = random.nextInt(classes);
            } while (!present[t]);
            truth[i] = random.nextInt(10) == 0 ? IGNORE : t;
            int p = random.nextInt(10) < 7 ? t : random.nextInt(classes);
            prediction[i] = predictable[p] ? p : 0;
        }
        return new int[][] {prediction, truth};
    }

    private static INDArray asArray(int[] values, int n, int h, int w) {
        float[] f = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            f[i] = values[i];
        }
        return Nd4j.create(f, new long[] {n, 1, h, w}, 'c');
    }

    @Test
    void datasetReductionMatchesTheReference() {
        Random random = new Random(20240601);
        for (int trial = 0; trial < 24; trial++) {
            int classes = new int[] {2, 5, 21}[trial % 3];
            int n = 1 + random.nextInt(3);
            int h = 8 + random.nextInt(24);
            int w = 8 + random.nextInt(24);
            double beta = trial % 2 == 0 ? 1 : 0.5 + random.nextDouble() * 2;
            int[][] maps = randomMaps(random, classes, n * h * w);
            Counts ref = Counts.of(maps[0], maps[1], 0, maps[1].length, classes);
            double[][] expected = classScores(ref, beta);

            SegmentationEvaluator eval = new SegmentationEvaluator(
                    MetricConfig.numbered(classes).withFScoreBeta(beta));
            eval.update(asArray(maps[0], n, h, w), asArray(maps[1], n, h, w));
            MetricReport r = eval.report();
            String where = "trial " + trial + ", " + classes + " classes";

            assertEquals(div(ref.correct, ref.counted), r.pixelAccuracy(), EPS, where);
            assertEquals(nanMean(expected[1]), r.meanPixelAccuracy(), EPS, where);
            assertEquals(nanMean(expected[0]), r.meanIoU(), EPS, where);
            assertEquals(fwIoU(ref), r.frequencyWeightedIoU(), EPS, where);
            assertEquals(nanMean(expected[3]), r.meanDice(), EPS, where);
            assertEquals(nanMean(expected[2]), r.meanPrecision(), EPS, where);
            assertEquals(nanMean(expected[4]), r.meanFScore(), EPS, where);
            for (int c = 0; c < classes; c++) {
                ClassMetrics row = r.classes().get(c);
                assertEquals(expected[0][c], row.iou(), EPS, where + ", class " + c);
                assertEquals(expected[1][c], row.accuracy(), EPS, where + ", class " + c);
                assertEquals(expected[2][c], row.precision(), EPS, where + ", class " + c);
                assertEquals(expected[3][c], row.dice(), EPS, where + ", class " + c);
                assertEquals(expected[4][c], row.fScore(), EPS, where + ", class " + c);
                assertEquals(ref.tp[c] + ref.fn[c], row.truthPixels(), where);
                assertEquals(ref.tp[c] + ref.fp[c], row.predictedPixels(), where);
            }
        }
    }

    @Test
    void imagewiseReductionMatchesTheReference() {
        Random random = new Random(77);
        for (int trial = 0; trial < 12; trial++) {
            int classes = new int[] {2, 5, 21}[trial % 3];
            double zeroDivision = trial % 2 == 0 ? Double.NaN : 1.0;
            int n = 2 + random.nextInt(4);
            int h = 6 + random.nextInt(10);
            int w = 6 + random.nextInt(10);
            int[][] maps = randomMaps(random, classes, n * h * w);
            // Reference: score each image, replace undefined scores by zeroDivision, average per class over images
            // (skipping NaN), then over classes; PA and FWIoU averaged over images.
            double[][] sum = new double[5][classes];
            int[][] count = new int[5][classes];
            double paSum = 0;
            double fwSum = 0;
            int scored = 0;
            for (int img = 0; img < n; img++) {
                Counts k = Counts.of(maps[0], maps[1], img * h * w, (img + 1) * h * w, classes);
                double[][] s = classScores(k, 1);
                for (int m = 0; m < 5; m++) {
                    for (int c = 0; c < classes; c++) {
                        double v = Double.isNaN(s[m][c]) ? zeroDivision : s[m][c];
                        if (!Double.isNaN(v)) {
                            sum[m][c] += v;
                            count[m][c]++;
                        }
                    }
                }
                if (k.counted > 0) {
                    paSum += (double) k.correct / k.counted;
                    fwSum += fwIoU(k);
                    scored++;
                }
            }
            double[][] perClass = new double[5][classes];
            for (int m = 0; m < 5; m++) {
                for (int c = 0; c < classes; c++) {
                    perClass[m][c] = div(sum[m][c], count[m][c]);
                }
            }

            SegmentationEvaluator eval = new SegmentationEvaluator(MetricConfig.numbered(classes)
                    .withReduction(Reduction.IMAGEWISE).withZeroDivision(zeroDivision));
            eval.update(asArray(maps[0], n, h, w), asArray(maps[1], n, h, w));
            MetricReport r = eval.report();
            String where = "trial " + trial;
            assertEquals(n, r.images());
            assertEquals(div(paSum, scored), r.pixelAccuracy(), EPS, where);
            assertEquals(div(fwSum, scored), r.frequencyWeightedIoU(), EPS, where);
            assertEquals(nanMean(perClass[0]), r.meanIoU(), EPS, where);
            assertEquals(nanMean(perClass[1]), r.meanPixelAccuracy(), EPS, where);
            assertEquals(nanMean(perClass[2]), r.meanPrecision(), EPS, where);
            assertEquals(nanMean(perClass[3]), r.meanDice(), EPS, where);
            assertEquals(nanMean(perClass[4]), r.meanFScore(), EPS, where);
            for (int c = 0; c < classes; c++) {
                assertEquals(perClass[0][c], r.classes().get(c).iou(), EPS, where + ", class " + c);
                assertEquals(perClass[1][c], r.classes().get(c).accuracy(), EPS, where + ", class " + c);
            }
        }
    }
}
