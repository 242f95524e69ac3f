package io.segnet.train.predict;

import io.segnet.data.Sample;
import io.segnet.data.SampleSource;
import io.segnet.metrics.MetricConfig;
import io.segnet.metrics.MetricReport;
import io.segnet.metrics.SegmentationEvaluator;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Evaluates a {@link Predictor} on labelled samples: every image is predicted as at inference time (sliding window,
 * test-time augmentation) and its class map compared with its mask; the result is the full {@link MetricReport}.
 *
 * <p>Images are predicted in chunks of {@link PredictorConfig#tileBatch()} on {@code threads} threads (the
 * predictor serialises the network calls, the threads overlap decoding and pre- and post-processing); each thread
 * counts into its own evaluator and the evaluators are merged, so the report does not depend on the thread count.
 */
public final class Evaluation {

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
            return total.report();
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
}
