package io.segnet.train.report;

import io.segnet.data.Sample;
import io.segnet.data.SampleSource;
import io.segnet.inference.Prediction;
import io.segnet.inference.Predictor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Which images a report shows, chosen the same way every time: a fixed spread of the data set (so that progress is
 * visible from epoch to epoch) and the best and worst by per-image IoU; and their panels.
 */
public final class ReportSamples {

    /** Images shown every time (the same ones each epoch). */
    public static final int FIXED = 4;
    /** Best and worst images shown. */
    public static final int EXTREMES = 3;

    /**
     * The panels of a report.
     *
     * @param samples the {@link #FIXED} images spread over the data set
     * @param best    the {@link #EXTREMES} best by IoU, best first
     * @param worst   the {@link #EXTREMES} worst by IoU, worst first
     */
    public record Selection(List<SamplePanel> samples, List<SamplePanel> best, List<SamplePanel> worst) {
        /** No panels (no data to show). */
        public static Selection none() {
            return new Selection(List.of(), List.of(), List.of());
        }
    }

    private ReportSamples() {
    }

    /**
     * The panels a report shows of {@code source}: {@link #FIXED} images spread over it, and the {@link #EXTREMES}
     * best and worst by {@code imageIoU} (one score per image of the source, NaN for unscored), each predicted whole,
     * once: an image in more than one group (every image of a validation set of 3) shares its panel.
     */
    public static Selection select(Predictor predictor, SampleSource source, double[] imageIoU, int numClasses,
                                   int ignoreValue) {
        if (source == null || source.size() == 0) {
            return Selection.none();
        }
        Map<Integer, SamplePanel> predicted = new HashMap<>();
        return new Selection(
                panels(predictor, source, spread(source.size(), FIXED), numClasses, ignoreValue, predicted),
                panels(predictor, source, best(imageIoU, EXTREMES), numClasses, ignoreValue, predicted),
                panels(predictor, source, worst(imageIoU, EXTREMES), numClasses, ignoreValue, predicted));
    }

    /** {@code n} indices spread evenly over {@code 0..size-1} ({@code i * size / n}), fewer if {@code size < n}. */
    public static int[] spread(int size, int n) {
        int m = Math.min(size, n);
        int[] out = new int[m];
        for (int i = 0; i < m; i++) {
            out[i] = (int) ((long) i * size / m);
        }
        return out;
    }

    /** The {@code n} indices with the highest scores (NaN left out), best first; ties by index. */
    public static int[] best(double[] scores, int n) {
        return ranked(scores, n, Comparator.comparingDouble((Integer i) -> -scores[i]));
    }

    /** The {@code n} indices with the lowest scores (NaN left out), worst first; ties by index. */
    public static int[] worst(double[] scores, int n) {
        return ranked(scores, n, Comparator.comparingDouble((Integer i) -> scores[i]));
    }

    private static int[] ranked(double[] scores, int n, Comparator<Integer> order) {
        return IntStream.range(0, scores.length).filter(i -> !Double.isNaN(scores[i])).boxed()
                .sorted(order.thenComparingInt(i -> i)).limit(n).mapToInt(Integer::intValue).toArray();
    }

    /**
     * The panels of {@code indices}: each sample predicted whole by {@code predictor}.
     *
     * @param numClasses  classes of the per-image IoU (2 for a one-logit model)
     * @param ignoreValue truth value left out of the IoU
     */
    public static List<SamplePanel> panels(Predictor predictor, SampleSource source, int[] indices, int numClasses,
                                           int ignoreValue) {
        return panels(predictor, source, indices, numClasses, ignoreValue, new HashMap<>());
    }

    /** {@link #panels(Predictor, SampleSource, int[], int, int)}, taking and adding panels to {@code predicted}. */
    private static List<SamplePanel> panels(Predictor predictor, SampleSource source, int[] indices, int numClasses,
                                            int ignoreValue, Map<Integer, SamplePanel> predicted) {
        List<SamplePanel> out = new ArrayList<>(indices.length);
        for (int i : indices) {
            out.add(predicted.computeIfAbsent(i, k -> panel(predictor, source.get(k), numClasses, ignoreValue)));
        }
        return out;
    }

    private static SamplePanel panel(Predictor predictor, Sample s, int numClasses, int ignoreValue) {
        Prediction p = predictor.predict(s);
        int[] map = p.classMap();
        if (p.height() != s.height() || p.width() != s.width()) {
            throw new IllegalStateException("prediction of '" + s.id() + "' is " + p.height() + "x" + p.width()
                    + ", the image " + s.height() + "x" + s.width());
        }
        return new SamplePanel(s, map, SamplePanel.meanIoU(map, s.mask(), numClasses, ignoreValue));
    }
}
