package io.segnet.metrics;

import java.util.Objects;

/**
 * How well predicted class maps follow the label boundaries, which region scores such as the mean IoU hardly see: a
 * prediction a pixel or two off along every edge loses little IoU on large regions. Two measures, at a tolerance of
 * {@code t} pixels:
 * <ul>
 *   <li><b>boundary F1</b> (the BF score of Csurka, Larlus and Perronnin, "What is a good evaluation measure for
 *       semantic segmentation?", BMVC 2013, here over the boundaries between any two labels rather than per class):
 *       per image, precision = the share of predicted boundary pixels within {@code t} of a true boundary pixel,
 *       recall = the share of true boundary pixels within {@code t} of a predicted one, F1 = 2PR / (P + R); the
 *       reported value is the mean over images (an image with no boundary in either map is left out, one with a
 *       boundary in only one of them scores 0);</li>
 *   <li><b>trimap mean IoU</b> (Kohli, Ladicky and Torr, IJCV 2009; the "band around object boundaries" that DeepLab
 *       v1 reports): the mean IoU over only the pixels within {@code t} of a true boundary, from a confusion matrix
 *       summed over the data set.</li>
 * </ul>
 * A boundary pixel is one whose right or lower neighbour has another label (so every edge between two labels is
 * marked once, one pixel thick); "within t" is a Euclidean distance of at most {@code t}. Truth pixels with the ignore
 * value form no boundary, enter no band, and predicted boundary pixels on them are not counted.
 *
 * <p>Thread-safe: {@link #update} may be called from several threads (it locks for the accumulation only).
 */
public final class BoundaryEvaluator {

    private final int numClasses;
    private final int ignoreValue;
    private final int tolerance;
    private final ConfusionMatrix trimap;
    private double f1Sum;
    private double precisionSum;
    private double recallSum;
    private int scoredImages;

    /**
     * An empty evaluator.
     *
     * @param numClasses  K, {@code >= 1}
     * @param ignoreValue truth value that is not scored (usually 255)
     * @param tolerance   t in pixels, {@code >= 0} (0: boundaries must coincide)
     */
    public BoundaryEvaluator(int numClasses, int ignoreValue, int tolerance) {
        if (tolerance < 0 || tolerance > 100) {
            throw new IllegalArgumentException("boundary tolerance is " + tolerance + " pixels; use 0 to 100, e.g. 3");
        }
        this.numClasses = numClasses;
        this.ignoreValue = ignoreValue;
        this.tolerance = tolerance;
        this.trimap = new ConfusionMatrix(numClasses, ignoreValue);
    }

    /** The tolerance t in pixels. */
    public int tolerance() {
        return tolerance;
    }

    /**
     * Scores one image.
     *
     * @param prediction {@code H*W} predicted classes, row-major
     * @param truth      {@code H*W} true classes or the ignore value, row-major
     * @throws IllegalArgumentException if the lengths differ from {@code height * width}
     */
    public void update(int[] prediction, int[] truth, int height, int width) {
        Objects.requireNonNull(prediction, "prediction");
        Objects.requireNonNull(truth, "truth");
        int n = height * width;
        if (height < 1 || width < 1 || prediction.length != n || truth.length != n) {
            throw new IllegalArgumentException("boundary scores need two " + height + "x" + width + " maps, got "
                    + prediction.length + " and " + truth.length + " values");
        }
        boolean[] trueEdge = boundary(truth, height, width, ignoreValue);
        boolean[] predictedEdge = boundary(prediction, height, width, Integer.MIN_VALUE);
        boolean[] nearTrue = dilate(trueEdge, height, width, tolerance);
        boolean[] nearPredicted = dilate(predictedEdge, height, width, tolerance);
        long predicted = 0;
        long predictedHit = 0;
        long actual = 0;
        long actualHit = 0;
        int[] bandPrediction = new int[n];
        int[] bandTruth = new int[n];
        for (int p = 0; p < n; p++) {
            boolean labelled = truth[p] != ignoreValue;
            if (predictedEdge[p] && labelled) {
                predicted++;
                predictedHit += nearTrue[p] ? 1 : 0;
            }
            if (trueEdge[p]) {
                actual++;
                actualHit += nearPredicted[p] ? 1 : 0;
            }
            bandPrediction[p] = prediction[p];
            bandTruth[p] = nearTrue[p] && labelled ? truth[p] : ignoreValue;
        }
        synchronized (this) {
            trimap.add(bandPrediction, bandTruth);
            if (predicted > 0 || actual > 0) {
                double precision = predicted == 0 ? 0 : predictedHit / (double) predicted;
                double recall = actual == 0 ? 0 : actualHit / (double) actual;
                precisionSum += precision;
                recallSum += recall;
                f1Sum += precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
                scoredImages++;
            }
        }
    }

    /** Images that had a boundary in the truth or the prediction. */
    public synchronized int scoredImages() {
        return scoredImages;
    }

    /** Mean boundary F1 over the scored images, NaN before any. */
    public synchronized double boundaryF1() {
        return scoredImages == 0 ? Double.NaN : f1Sum / scoredImages;
    }

    /** Mean boundary precision over the scored images, NaN before any. */
    public synchronized double boundaryPrecision() {
        return scoredImages == 0 ? Double.NaN : precisionSum / scoredImages;
    }

    /** Mean boundary recall over the scored images, NaN before any. */
    public synchronized double boundaryRecall() {
        return scoredImages == 0 ? Double.NaN : recallSum / scoredImages;
    }

    /** Mean IoU over the pixels within the tolerance of a true boundary ({@link SegmentationMetrics#meanIoU}). */
    public synchronized double trimapMeanIoU() {
        return SegmentationMetrics.meanIoU(trimap);
    }

    /** A copy of the confusion matrix of the band pixels. */
    public synchronized ConfusionMatrix trimapConfusion() {
        return trimap.copy();
    }

    /** The number of classes K. */
    public int numClasses() {
        return numClasses;
    }

    /** Pixels whose right or lower neighbour has another label; pixels labelled {@code ignore} are never marked. */
    static boolean[] boundary(int[] map, int height, int width, int ignore) {
        boolean[] edge = new boolean[height * width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = y * width + x;
                int v = map[p];
                if (v == ignore) {
                    continue;
                }
                if (x + 1 < width && map[p + 1] != v && map[p + 1] != ignore
                        || y + 1 < height && map[p + width] != v && map[p + width] != ignore) {
                    edge[p] = true;
                }
            }
        }
        return edge;
    }

    /** The pixels within Euclidean distance {@code t} of a marked pixel. */
    static boolean[] dilate(boolean[] marked, int height, int width, int t) {
        if (t == 0) {
            return marked.clone();
        }
        boolean[] out = new boolean[marked.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (!marked[y * width + x]) {
                    continue;
                }
                for (int dy = -t; dy <= t; dy++) {
                    int yy = y + dy;
                    if (yy < 0 || yy >= height) {
                        continue;
                    }
                    int reach = (int) Math.floor(Math.sqrt((double) t * t - dy * dy));
                    int from = Math.max(0, x - reach);
                    int to = Math.min(width - 1, x + reach);
                    for (int xx = from; xx <= to; xx++) {
                        out[yy * width + xx] = true;
                    }
                }
            }
        }
        return out;
    }
}
