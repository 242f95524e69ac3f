package io.segnet.metrics;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A {@code C x C} confusion matrix of pixel counts, {@code n_ij} = pixels of ground-truth class {@code i} predicted
 * as class {@code j} (rows truth, columns prediction), accumulated over any number of images.
 *
 * <p>Class maps are {@code [H,W]} (one image), {@code [N,H,W]} or {@code [N,1,H,W]} (a batch) INDArrays holding
 * integer class ids in any numeric type (segnet-data gives float arrays), or flat {@code int} arrays. Per-class
 * scores or probabilities {@code [N,C,H,W]} (what a model outputs) go to {@link #addScores}, which takes the argmax
 * over {@code C}. Pixels whose ground truth is the ignore value (default {@value #DEFAULT_IGNORE_VALUE}, as in
 * mmsegmentation and torchvision) are skipped together with their prediction; every other ground-truth and
 * predicted value must be a class id in {@code [0, C)}.
 *
 * <p>Counts are {@code long}, so a matrix can hold any data set. Adding is one pass over the two maps, counting into a
 * flat {@code long[C*C]}. A 512 x 512 map with 21 classes takes about 2 ms from float INDArrays and under 1 ms from
 * {@code int} arrays on one core of a Zen 3 server ({@code ConfusionMatrixBenchmark} in the tests measures it).
 *
 * <p><b>Not thread-safe.</b> To evaluate on several threads or machines give each its own matrix and combine them
 * with {@link #merge}: counts add up, so the merged matrix equals the one a single pass over all images would give.
 * A failed {@code add} (bad shape or label) leaves the matrix unchanged.
 */
public final class ConfusionMatrix implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    /** The ignore value used when none is given: 255, mmsegmentation's {@code ignore_index} default. */
    public static final int DEFAULT_IGNORE_VALUE = 255;

    private final int numClasses;
    private final int ignoreValue;
    /** {@code counts[truth * numClasses + prediction]}. */
    private final long[] counts;
    private long ignoredPixels;
    private transient ClassMapReader reader;

    /**
     * An empty matrix for {@code numClasses} classes ignoring ground-truth value {@value #DEFAULT_IGNORE_VALUE}.
     *
     * @throws IllegalArgumentException if {@code numClasses} is not in {@code [1, 255]} (with more classes, 255 is a
     *     class id: choose another ignore value with {@link #ConfusionMatrix(int, int)})
     */
    public ConfusionMatrix(int numClasses) {
        this(numClasses, DEFAULT_IGNORE_VALUE);
    }

    /**
     * An empty matrix for {@code numClasses} classes ignoring ground-truth value {@code ignoreValue}.
     *
     * @param numClasses number of classes {@code C}, at least 1 and at most 46340 (so that {@code C*C} counts fit an
     *     array)
     * @param ignoreValue ground-truth value whose pixels are skipped; must lie outside {@code [0, C)}, e.g. 255 or -1
     * @throws IllegalArgumentException if {@code numClasses} is out of range or {@code ignoreValue} is a class id
     */
    public ConfusionMatrix(int numClasses, int ignoreValue) {
        if (numClasses < 1 || numClasses > 46340) {
            throw new IllegalArgumentException("numClasses is " + numClasses + "; it must be between 1 and 46340");
        }
        if (ignoreValue >= 0 && ignoreValue < numClasses) {
            throw new IllegalArgumentException("ignoreValue " + ignoreValue + " is a class id (classes are 0.."
                    + (numClasses - 1) + "); choose an ignore value outside that range, e.g. -1 or "
                    + Math.max(255, numClasses));
        }
        this.numClasses = numClasses;
        this.ignoreValue = ignoreValue;
        this.counts = new long[numClasses * numClasses];
    }

    /**
     * A matrix holding the given counts, {@code counts[i][j]} = pixels of truth {@code i} predicted as {@code j}.
     *
     * @throws IllegalArgumentException if {@code counts} is not square or holds a negative count, or
     *     {@code ignoreValue} is a class id
     */
    public static ConfusionMatrix fromCounts(long[][] counts, int ignoreValue) {
        return fromCounts(counts, ignoreValue, 0);
    }

    /**
     * A matrix holding the given counts and {@code ignoredPixels} skipped pixels (see {@link #ignoredPixels()}).
     *
     * @throws IllegalArgumentException if {@code counts} is not square or holds a negative count,
     *     {@code ignoredPixels} is negative, or {@code ignoreValue} is a class id
     */
    public static ConfusionMatrix fromCounts(long[][] counts, int ignoreValue, long ignoredPixels) {
        Objects.requireNonNull(counts, "counts");
        if (ignoredPixels < 0) {
            throw new IllegalArgumentException("ignoredPixels is " + ignoredPixels + "; it cannot be negative");
        }
        ConfusionMatrix m = new ConfusionMatrix(counts.length, ignoreValue);
        m.ignoredPixels = ignoredPixels;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == null || counts[i].length != counts.length) {
                throw new IllegalArgumentException("counts must be square: row " + i + " has "
                        + (counts[i] == null ? "no entries" : counts[i].length + " entries") + ", expected "
                        + counts.length);
            }
            for (int j = 0; j < counts.length; j++) {
                if (counts[i][j] < 0) {
                    throw new IllegalArgumentException("counts[" + i + "][" + j + "] is " + counts[i][j]
                            + "; pixel counts cannot be negative");
                }
                m.counts[i * counts.length + j] = counts[i][j];
            }
        }
        return m;
    }

    /**
     * Counts a predicted class map against a ground-truth class map.
     *
     * @param prediction predicted class ids, {@code [H,W]}, {@code [N,H,W]} or {@code [N,1,H,W]}, any numeric type
     * @param truth ground-truth class ids (or the ignore value) of the same images, in any of the same shapes
     * @return this matrix
     * @throws IllegalArgumentException if the maps hold different images or sizes, or hold a value that is not a
     *     class id (the message names each offending value and how many pixels hold it); the matrix is then
     *     unchanged
     */
    public ConfusionMatrix add(INDArray prediction, INDArray truth) {
        ClassMapReader.Batch batch = reader().read(prediction, truth);
        countRange(batch.prediction(), batch.truth(), 0, batch.pixels(), batch);
        return this;
    }

    /**
     * Counts per-class scores against a ground-truth class map: the prediction at each pixel is the class with the
     * highest score (argmax over {@code C}, ties to the lower id), so logits and probabilities give the same result.
     *
     * @param scores logits or probabilities, {@code [N,C,H,W]} (or {@code [C,H,W]} for one image) with
     *     {@code C = numClasses()}
     * @param truth ground-truth class ids of the same {@code N} images, {@code [N,H,W]} or {@code [N,1,H,W]}
     *     ({@code [H,W]} for one image)
     * @return this matrix
     * @throws IllegalArgumentException if the shapes disagree, a score is NaN or a label is not a class id
     */
    public ConfusionMatrix addScores(INDArray scores, INDArray truth) {
        ClassMapReader.Batch batch = reader().readScores(scores, truth, numClasses);
        countRange(batch.prediction(), batch.truth(), 0, batch.pixels(), batch);
        return this;
    }

    /**
     * Counts flat class maps: one image, or several images laid end to end (the matrix does not need to know where
     * one image ends).
     *
     * @throws IllegalArgumentException if the arrays differ in length or hold a value that is not a class id; the
     *     matrix is then unchanged
     */
    public ConfusionMatrix add(int[] prediction, int[] truth) {
        Objects.requireNonNull(prediction, "prediction");
        Objects.requireNonNull(truth, "truth");
        if (prediction.length != truth.length) {
            throw new IllegalArgumentException("prediction has " + prediction.length + " pixels and truth has "
                    + truth.length + "; both must hold the same images at the same size");
        }
        countRange(prediction, truth, 0, truth.length, null);
        return this;
    }

    /**
     * Counts pixels {@code [from, to)} of two flat maps. On a bad value the counts added so far by this call are
     * taken back and an exception names the offending values; {@code batch} (may be null) locates the first one.
     */
    void countRange(int[] prediction, int[] truth, int from, int to, ClassMapReader.Batch batch) {
        final int c = numClasses;
        final int ignore = ignoreValue;
        final long[] n = counts;
        int ignored = 0;
        for (int i = from; i < to; i++) {
            int t = truth[i];
            if (t == ignore) {
                ignored++;
                continue;
            }
            int p = prediction[i];
            if (Integer.compareUnsigned(t, c) >= 0 || Integer.compareUnsigned(p, c) >= 0) {
                uncount(prediction, truth, from, i);
                throw badLabels(prediction, truth, from, to, i, batch);
            }
            n[t * c + p]++;
        }
        ignoredPixels += ignored;
    }

    private void uncount(int[] prediction, int[] truth, int from, int to) {
        for (int i = from; i < to; i++) {
            int t = truth[i];
            if (t != ignoreValue) {
                counts[t * numClasses + prediction[i]]--;
            }
        }
    }

    private IllegalArgumentException badLabels(int[] prediction, int[] truth, int from, int to, int first,
            ClassMapReader.Batch batch) {
        Map<Double, Long> badTruth = new TreeMap<>();
        Map<Double, Long> badPrediction = new TreeMap<>();
        for (int i = from; i < to; i++) {
            int t = truth[i];
            if (t == ignoreValue) {
                continue;
            }
            if (t < 0 || t >= numClasses) {
                badTruth.merge((double) t, 1L, Long::sum);
            } else if (prediction[i] < 0 || prediction[i] >= numClasses) {
                badPrediction.merge((double) prediction[i], 1L, Long::sum);
            }
        }
        StringBuilder msg = new StringBuilder();
        String range = "[0, " + numClasses + ")";
        if (!badTruth.isEmpty()) {
            msg.append("truth holds labels outside the class range ").append(range).append(" that are not the ignore ")
                    .append("value ").append(ignoreValue).append(": ").append(Tally.describe(badTruth))
                    .append(". Map them to a class id or to the ignore value, or build the matrix with the right ")
                    .append("numClasses / ignoreValue");
        }
        if (!badPrediction.isEmpty()) {
            if (msg.length() > 0) {
                msg.append(". Also, ");
            }
            msg.append("prediction holds ids outside the class range ").append(range)
                    .append(" at pixels that are not ignored: ").append(Tally.describe(badPrediction))
                    .append(". Predictions must be class ids; for per-class scores [N,C,H,W] use addScores");
        }
        msg.append(" (first at ").append(batch != null ? batch.locate(first) : "index " + first)
                .append("; nothing was counted)");
        return new IllegalArgumentException(msg.toString());
    }

    /**
     * Adds the counts of {@code other} (another batch, thread or machine) to this matrix.
     *
     * @return this matrix
     * @throws IllegalArgumentException if {@code other} has another number of classes or ignore value
     */
    public ConfusionMatrix merge(ConfusionMatrix other) {
        Objects.requireNonNull(other, "other");
        if (other.numClasses != numClasses || other.ignoreValue != ignoreValue) {
            throw new IllegalArgumentException("cannot merge a matrix of " + other.numClasses + " classes ignoring "
                    + other.ignoreValue + " into one of " + numClasses + " classes ignoring " + ignoreValue
                    + "; both must count the same classes");
        }
        for (int k = 0; k < counts.length; k++) {
            counts[k] += other.counts[k];
        }
        ignoredPixels += other.ignoredPixels;
        return this;
    }

    /** Sets every count, and the ignored-pixel count, back to zero. */
    public void reset() {
        Arrays.fill(counts, 0L);
        ignoredPixels = 0;
    }

    /** An independent matrix with the same counts. */
    public ConfusionMatrix copy() {
        ConfusionMatrix m = new ConfusionMatrix(numClasses, ignoreValue);
        System.arraycopy(counts, 0, m.counts, 0, counts.length);
        m.ignoredPixels = ignoredPixels;
        return m;
    }

    /** Number of classes {@code C}. */
    public int numClasses() {
        return numClasses;
    }

    /** Ground-truth value whose pixels are skipped. */
    public int ignoreValue() {
        return ignoreValue;
    }

    /** {@code n_ij}: pixels of ground-truth class {@code truth} predicted as class {@code prediction}. */
    public long count(int truth, int prediction) {
        Objects.checkIndex(truth, numClasses);
        Objects.checkIndex(prediction, numClasses);
        return counts[truth * numClasses + prediction];
    }

    /** A copy of the counts, {@code [truth][prediction]}. */
    public long[][] toArray() {
        long[][] out = new long[numClasses][];
        for (int i = 0; i < numClasses; i++) {
            out[i] = Arrays.copyOfRange(counts, i * numClasses, (i + 1) * numClasses);
        }
        return out;
    }

    /** {@code t_i = sum_j n_ij}, the ground-truth pixels of each class (row sums). */
    public long[] truthTotals() {
        long[] t = new long[numClasses];
        for (int i = 0; i < numClasses; i++) {
            long s = 0;
            for (int j = 0; j < numClasses; j++) {
                s += counts[i * numClasses + j];
            }
            t[i] = s;
        }
        return t;
    }

    /** {@code p_j = sum_i n_ij}, the pixels predicted as each class (column sums). */
    public long[] predictionTotals() {
        long[] p = new long[numClasses];
        for (int i = 0; i < numClasses; i++) {
            for (int j = 0; j < numClasses; j++) {
                p[j] += counts[i * numClasses + j];
            }
        }
        return p;
    }

    /** {@code n_ii}, the correctly predicted pixels of each class (the diagonal). */
    public long[] truePositives() {
        long[] d = new long[numClasses];
        for (int i = 0; i < numClasses; i++) {
            d[i] = counts[i * numClasses + i];
        }
        return d;
    }

    /** Pixels counted: {@code sum_ij n_ij}, the pixels whose ground truth is not the ignore value. */
    public long countedPixels() {
        long s = 0;
        for (long v : counts) {
            s += v;
        }
        return s;
    }

    /** Pixels skipped because their ground truth was the ignore value. */
    public long ignoredPixels() {
        return ignoredPixels;
    }

    private ClassMapReader reader() {
        if (reader == null) {
            reader = new ClassMapReader();
        }
        return reader;
    }

    /** Equal when the classes, the ignore value, every count and the ignored-pixel count are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ConfusionMatrix m && m.numClasses == numClasses && m.ignoreValue == ignoreValue
                && m.ignoredPixels == ignoredPixels && Arrays.equals(m.counts, counts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(numClasses, ignoreValue, ignoredPixels, Arrays.hashCode(counts));
    }

    @Override
    public String toString() {
        return "ConfusionMatrix[" + numClasses + " classes, ignore " + ignoreValue + ", " + countedPixels()
                + " pixels counted, " + ignoredPixels + " ignored]";
    }
}
