package io.segnet.inference;

import io.segnet.data.Sample;
import io.segnet.data.SampleSource;
import io.segnet.data.batch.BatchOptions;
import io.segnet.data.batch.SegmentationBatchIterator;
import io.segnet.data.transform.Compose;
import io.segnet.data.transform.PadToMultiple;
import io.segnet.data.transform.Transform;
import io.segnet.metrics.MetricConfig;
import io.segnet.metrics.MetricReport;
import io.segnet.metrics.SegmentationEvaluator;
import io.segnet.models.SegmentationModel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scores predictions against masks; the result is the full {@link MetricReport}. Two ways:
 * <ul>
 *   <li>{@link #run}: every image is predicted by a {@link Predictor} as at inference time (sliding window,
 *   test-time augmentation). Images are predicted in chunks of {@link PredictorConfig#tileBatch()} on
 *   {@code threads} threads (the predictor serialises the network calls, the threads overlap decoding and pre- and
 *   post-processing); each thread counts into its own evaluator and the evaluators are merged, so the report does
 *   not depend on the thread count.</li>
 *   <li>{@link #batched}: whole images in batches straight through the model, as the trainer validates after every
 *   epoch: faster, for images of (about) the training size.</li>
 * </ul>
 */
public final class Evaluation {

    /** Receives each image's predicted classes and truth in {@link #batched} (on the calling thread). */
    @FunctionalInterface
    public interface ImageScores {
        /** Called once per image, in source order; the arrays have the same length. */
        void scored(int index, int[] prediction, int[] truth);
    }

    /** Receives each image with its prediction (on a worker thread; must be thread-safe). */
    @FunctionalInterface
    public interface Listener {
        /** Called once per image. */
        void predicted(int index, Sample sample, Prediction prediction);
    }

    private Evaluation() {
    }

    /**
     * Predicts and scores every sample of {@code source}.
     *
     * @param predictor the predictor
     * @param source    labelled samples (every sample needs a mask)
     * @param metrics   class names, ignore value and reduction of the report
     * @param threads   worker threads, {@code >= 1}
     * @param listener  called with every prediction, or null
     * @throws IllegalArgumentException if a sample has no mask or a class the metrics do not know
     */
    public static MetricReport run(Predictor predictor, SampleSource source, MetricConfig metrics, int threads,
                                   Listener listener) {
        return evaluator(predictor, source, metrics, threads, listener).report();
    }

    /**
     * As {@link #run}, returning the filled evaluator instead of its report, to be merged with the evaluators of other
     * parts of a data set (on other threads or machines: {@link SegmentationEvaluator#merge}).
     */
    public static SegmentationEvaluator evaluator(Predictor predictor, SampleSource source, MetricConfig metrics,
                                                  int threads, Listener listener) {
        Objects.requireNonNull(predictor, "predictor");
        if (threads < 1) {
            throw new IllegalArgumentException("threads is " + threads + "; use at least 1");
        }
        int chunk = predictor.config().tileBatch();
        int chunks = (source.size() + chunk - 1) / chunk;
        AtomicInteger next = new AtomicInteger();
        int workers = Math.max(1, Math.min(threads, chunks));
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "segnet-evaluation");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<SegmentationEvaluator>> futures = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                futures.add(pool.submit(() -> {
                    SegmentationEvaluator eval = new SegmentationEvaluator(metrics);
                    for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                        int from = c * chunk;
                        int to = Math.min(source.size(), from + chunk);
                        List<Sample> samples = new ArrayList<>(to - from);
                        for (int i = from; i < to; i++) {
                            Sample s = source.get(i);
                            if (!s.hasMask()) {
                                throw new IllegalArgumentException("sample '" + s.id() + "' has no mask; evaluation"
                                        + " needs a mask for every image");
                            }
                            samples.add(s);
                        }
                        List<Prediction> predictions = predictor.predictAll(samples);
                        for (int k = 0; k < samples.size(); k++) {
                            eval.update(predictions.get(k).classMap(), samples.get(k).mask());
                            if (listener != null) {
                                listener.predicted(from + k, samples.get(k), predictions.get(k));
                            }
                        }
                    }
                    return eval;
                }));
            }
            SegmentationEvaluator total = new SegmentationEvaluator(metrics);
            for (Future<SegmentationEvaluator> f : futures) {
                total.merge(f.get());
            }
            return total;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("evaluation failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during evaluation", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Scores a model on labelled samples in whole batches, as the trainer validates: every image is preprocessed,
     * padded at the bottom and right to a size the model accepts (padded pixels carry the mask's ignore value and are
     * not counted), and the arg-max class maps of each batch {@code [N, 1, H, W]} are compared with the masks. No
     * sliding window and no test-time augmentation.
     *
     * @param model         the model; its loss's ignore index is the report's ignore value
     * @param source        labelled samples (every sample needs a mask); images of different sizes in one batch are
     *                      padded to the largest (padded pixels not counted)
     * @param preprocessing the preprocessing the model was trained with
     * @param batchSize     images per batch, {@code >= 1}
     * @param seed          the batch iterator's seed (batches are neither shuffled nor augmented)
     * @param workers       threads that prepare batches, {@code >= 1}
     */
    public static MetricReport batched(SegmentationModel model, SampleSource source, Preprocessing preprocessing,
                                       int batchSize, long seed, int workers) {
        return batched(model, source, preprocessing, batchSize, seed, workers, null);
    }

    /**
     * As {@link #batched(SegmentationModel, SampleSource, Preprocessing, int, long, int)}, also giving each image's
     * class map to {@code perImage} (in source order, at the padded batch size: padded truth pixels carry the ignore
     * value), e.g. to score images one by one.
     *
     * @param perImage called with (index, predicted classes, truth) of every image, or null
     */
    public static MetricReport batched(SegmentationModel model, SampleSource source, Preprocessing preprocessing,
                                       int batchSize, long seed, int workers, ImageScores perImage) {
        int multiple = model.config().inputSizeRule().multiple();
        Transform pre = preprocessing.transform();
        Transform pad = multiple > 1 ? PadToMultiple.of(multiple) : null;
        Transform t = pre == null ? pad : pad == null ? pre : Compose.of(pre, pad);
        MetricConfig metrics = MetricConfig.of(source.classNames())
                .withIgnoreValue(model.config().loss().ignoreIndex());
        SegmentationEvaluator eval = new SegmentationEvaluator(metrics);
        BatchOptions options = new BatchOptions(batchSize, false, false, seed, workers, 2);
        int image = 0;
        try (SegmentationBatchIterator it = new SegmentationBatchIterator(source, t, options)) {
            while (it.hasNext()) {
                DataSet ds = it.next();
                INDArray prediction = model.predict(ds.getFeatures());
                eval.update(prediction, ds.getLabels());
                if (perImage != null) {
                    int n = (int) prediction.size(0);
                    int pixels = (int) (prediction.length() / n);
                    int[] all = prediction.castTo(org.nd4j.linalg.api.buffer.DataType.INT).data().asInt();
                    int[] truth = ds.getLabels().castTo(org.nd4j.linalg.api.buffer.DataType.INT).data().asInt();
                    for (int k = 0; k < n; k++) {
                        perImage.scored(image++, java.util.Arrays.copyOfRange(all, k * pixels, (k + 1) * pixels),
                                java.util.Arrays.copyOfRange(truth, k * pixels, (k + 1) * pixels));
                    }
                }
                prediction.close();
                ds.getFeatures().close();
                ds.getLabels().close();
            }
        }
        return eval.report();
    }
}
