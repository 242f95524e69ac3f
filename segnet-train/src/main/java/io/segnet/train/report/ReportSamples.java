package io.segnet.train.report;

import io.segnet.data.Sample;
import io.segnet.data.SampleSource;
import io.segnet.inference.Prediction;
import io.segnet.inference.Predictor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Which images a report shows, chosen the same way every time: a fixed spread of the data set (so that progress is
 * visible from epoch to epoch) and the best and worst by per-image IoU; and their panels.
 */
public final class ReportSamples {

    private ReportSamples() {
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
        List<SamplePanel> out = new ArrayList<>(indices.length);
        for (int i : indices) {
            Sample s = source.get(i);
            Prediction p = predictor.predict(s);
            int[] map = p.classMap();
            if (p.height() != s.height() || p.width() != s.width()) {
                throw new IllegalStateException("prediction of '" + s.id() + "' is " + p.height() + "x" + p.width()
                        + ", the image " + s.height() + "x" + s.width());
            }
            out.add(new SamplePanel(s, map, SamplePanel.meanIoU(map, s.mask(), numClasses, ignoreValue)));
        }
        return out;
    }
}
