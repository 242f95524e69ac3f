package io.segnet.metrics;

import java.util.Arrays;

/**
 * Running sums for {@link Reduction#IMAGEWISE}: per class and per score, the sum of the per-image scores and the
 * number of images that had one; and the same for per-image pixel accuracy and FWIoU. Not thread-safe.
 */
final class ImagewiseSums implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    static final int IOU = 0;
    static final int ACCURACY = 1;
    static final int PRECISION = 2;
    static final int DICE = 3;
    static final int F_SCORE = 4;
    private static final int SCORES = 5;

    private final int numClasses;
    private final double beta;
    private final double zeroDivision;
    private final double[][] sum;
    private final long[][] count;
    private double pixelAccuracySum;
    private long pixelAccuracyCount;
    private double fwIoUSum;
    private long fwIoUCount;

    ImagewiseSums(int numClasses, double beta, double zeroDivision) {
        this.numClasses = numClasses;
        this.beta = beta;
        this.zeroDivision = zeroDivision;
        this.sum = new double[SCORES][numClasses];
        this.count = new long[SCORES][numClasses];
    }

    /**
     * Adds one image's scores. A per-class score that is NaN becomes {@code zeroDivision} (smp's
     * {@code _handle_zero_division}); if that is NaN too, the image does not count for that class. An image without
     * counted pixels has no pixel accuracy or FWIoU and does not count for them.
     */
    void add(ConfusionMatrix image) {
        double[][] scores = {
            SegmentationMetrics.classIoU(image),
            SegmentationMetrics.classAccuracy(image),
            SegmentationMetrics.classPrecision(image),
            SegmentationMetrics.classDice(image),
            SegmentationMetrics.classFScore(image, beta),
        };
        for (int k = 0; k < SCORES; k++) {
            for (int c = 0; c < numClasses; c++) {
                double v = Double.isNaN(scores[k][c]) ? zeroDivision : scores[k][c];
                if (!Double.isNaN(v)) {
                    sum[k][c] += v;
                    count[k][c]++;
                }
            }
        }
        double pa = SegmentationMetrics.pixelAccuracy(image);
        if (!Double.isNaN(pa)) {
            pixelAccuracySum += pa;
            pixelAccuracyCount++;
            fwIoUSum += SegmentationMetrics.frequencyWeightedIoU(image);
            fwIoUCount++;
        }
    }

    void merge(ImagewiseSums other) {
        for (int k = 0; k < SCORES; k++) {
            for (int c = 0; c < numClasses; c++) {
                sum[k][c] += other.sum[k][c];
                count[k][c] += other.count[k][c];
            }
        }
        pixelAccuracySum += other.pixelAccuracySum;
        pixelAccuracyCount += other.pixelAccuracyCount;
        fwIoUSum += other.fwIoUSum;
        fwIoUCount += other.fwIoUCount;
    }

    void reset() {
        for (int k = 0; k < SCORES; k++) {
            Arrays.fill(sum[k], 0);
            Arrays.fill(count[k], 0);
        }
        pixelAccuracySum = 0;
        pixelAccuracyCount = 0;
        fwIoUSum = 0;
        fwIoUCount = 0;
    }

    /** Per class, the mean over images of score {@code k}; NaN for a class no image had a score for. */
    double[] classMeans(int k) {
        double[] out = new double[numClasses];
        for (int c = 0; c < numClasses; c++) {
            out[c] = count[k][c] == 0 ? Double.NaN : sum[k][c] / count[k][c];
        }
        return out;
    }

    double pixelAccuracy() {
        return pixelAccuracyCount == 0 ? Double.NaN : pixelAccuracySum / pixelAccuracyCount;
    }

    double frequencyWeightedIoU() {
        return fwIoUCount == 0 ? Double.NaN : fwIoUSum / fwIoUCount;
    }
}
