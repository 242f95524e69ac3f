package io.segnet.metrics;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Accumulates predictions against ground-truth labels, batch by batch, and reports every metric of
 * {@link SegmentationMetrics} under the {@link MetricConfig}'s {@link Reduction}.
 *
 * <pre>{@code
 * SegmentationEvaluator eval = new SegmentationEvaluator(MetricConfig.of(classNames));
 * for (DataSet batch : validation) {
 *     eval.updateScores(model.output(batch.getFeatures()), batch.getLabels()); // [N,C,H,W] vs [N,1,H,W]
 * }
 * MetricReport report = eval.report();
 * System.out.println(report.toConsoleTable());
 * }</pre>
 *
 * <p>Shapes: class maps are {@code [H,W]} (one image), {@code [N,H,W]} or {@code [N,1,H,W]}, integer ids in any
 * numeric type; scores are {@code [N,C,H,W]}. The ground truth's ignore value (default 255) is skipped. With
 * {@link Reduction#DATASET} an update counts into one confusion matrix; with {@link Reduction#IMAGEWISE} each image is
 * also scored on its own (one extra {@code C x C} pass per image).
 *
 * <p><b>Not thread-safe.</b> Give each thread (or machine) its own evaluator with the same config and combine them
 * with {@link #merge}; the merged evaluator reports what one evaluator fed every image would. A failed update (bad
 * shape or label) leaves the evaluator unchanged. Evaluators are {@link java.io.Serializable} (with their confusion
 * matrix), so that partial evaluators computed on other machines can be sent back and merged.
 */
public final class SegmentationEvaluator implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    private final MetricConfig config;
    private final ConfusionMatrix total;
    /** Scratch buffers; not serialised (an evaluator sent to another machine makes new ones). */
    private transient ClassMapReader reader;
    /** Image-wise only: the current image, the current batch, and the sums over images. */
    private final ConfusionMatrix image;
    private final ConfusionMatrix batch;
    private final ImagewiseSums batchSums;
    private final ImagewiseSums sums;
    private long images;

    /** An empty evaluator for {@code config}. */
    public SegmentationEvaluator(MetricConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        int c = config.numClasses();
        this.total = new ConfusionMatrix(c, config.ignoreValue());
        if (config.reduction() == Reduction.IMAGEWISE) {
            image = new ConfusionMatrix(c, config.ignoreValue());
            batch = new ConfusionMatrix(c, config.ignoreValue());
            batchSums = new ImagewiseSums(c, config.fScoreBeta(), config.zeroDivision());
            sums = new ImagewiseSums(c, config.fScoreBeta(), config.zeroDivision());
        } else {
            image = null;
            batch = null;
            batchSums = null;
            sums = null;
        }
    }

    /** What this evaluator measures. */
    public MetricConfig config() {
        return config;
    }

    /**
     * Adds a batch of predicted class maps.
     *
     * @param prediction predicted class ids, {@code [H,W]}, {@code [N,H,W]} or {@code [N,1,H,W]}
     * @param truth ground-truth class ids (or the ignore value) of the same images
     * @return this evaluator
     * @throws IllegalArgumentException if the maps hold different images or sizes, or a value is not a class id
     */
    public SegmentationEvaluator update(INDArray prediction, INDArray truth) {
        accumulate(reader().read(prediction, truth));
        return this;
    }

    /**
     * Adds a batch of per-class scores (logits or probabilities); the prediction is their argmax over {@code C}.
     *
     * @param scores {@code [N,C,H,W]} (or {@code [C,H,W]} for one image), {@code C = config().numClasses()}
     * @param truth ground-truth class ids of the same images, {@code [N,H,W]} or {@code [N,1,H,W]}
     * @return this evaluator
     * @throws IllegalArgumentException if the shapes disagree, a score is NaN or a label is not a class id
     */
    public SegmentationEvaluator updateScores(INDArray scores, INDArray truth) {
        accumulate(reader().readScores(scores, truth, config.numClasses()));
        return this;
    }

    /**
     * Adds one image given as flat class maps (any pixel order, the same in both).
     *
     * @return this evaluator
     * @throws IllegalArgumentException if the arrays differ in length or a value is not a class id
     */
    public SegmentationEvaluator update(int[] prediction, int[] truth) {
        Objects.requireNonNull(prediction, "prediction");
        Objects.requireNonNull(truth, "truth");
        if (prediction.length != truth.length) {
            throw new IllegalArgumentException("prediction has " + prediction.length + " pixels and truth has "
                    + truth.length + "; both must hold the same image at the same size");
        }
        accumulate(new ClassMapReader.Batch(prediction, truth, 1, 1, truth.length));
        return this;
    }

    private ClassMapReader reader() {
        if (reader == null) {
            reader = new ClassMapReader();
        }
        return reader;
    }

    private void accumulate(ClassMapReader.Batch b) {
        if (sums == null) {
            total.countRange(b.prediction(), b.truth(), 0, b.pixels(), b);
        } else {
            batch.reset();
            batchSums.reset();
            int perImage = b.pixelsPerImage();
            for (int n = 0; n < b.images(); n++) {
                image.reset();
                image.countRange(b.prediction(), b.truth(), n * perImage, (n + 1) * perImage, b);
                batchSums.add(image);
                batch.merge(image);
            }
            total.merge(batch);
            sums.merge(batchSums);
        }
        images += b.images();
    }

    /**
     * Adds everything {@code other} has accumulated to this evaluator.
     *
     * @return this evaluator
     * @throws IllegalArgumentException if {@code other} has another config
     */
    public SegmentationEvaluator merge(SegmentationEvaluator other) {
        Objects.requireNonNull(other, "other");
        if (!other.config.equals(config)) {
            throw new IllegalArgumentException("cannot merge an evaluator with config " + other.config
                    + " into one with config " + config + "; both must measure the same classes the same way");
        }
        total.merge(other.total);
        if (sums != null) {
            sums.merge(other.sums);
        }
        images += other.images;
        return this;
    }

    /** Forgets everything accumulated. */
    public void reset() {
        total.reset();
        if (sums != null) {
            sums.reset();
        }
        images = 0;
    }

    /** Number of images added so far. */
    public long images() {
        return images;
    }

    /** A copy of the confusion matrix over every image added so far. */
    public ConfusionMatrix confusionMatrix() {
        return total.copy();
    }

    /** The metrics of every image added so far, under the config's reduction. */
    public MetricReport report() {
        if (sums == null) {
            return MetricReport.of(total, config.classNames(), config.fScoreBeta(), images);
        }
        return MetricReport.assemble(Reduction.IMAGEWISE, config.zeroDivision(), total, config.classNames(),
                config.fScoreBeta(), images, sums.pixelAccuracy(), sums.frequencyWeightedIoU(),
                sums.classMeans(ImagewiseSums.IOU), sums.classMeans(ImagewiseSums.ACCURACY),
                sums.classMeans(ImagewiseSums.PRECISION), sums.classMeans(ImagewiseSums.DICE),
                sums.classMeans(ImagewiseSums.F_SCORE));
    }
}
