package io.segnet.bench.metrics;

import io.segnet.bench.TimingPlan;
import io.segnet.bench.Timings;
import io.segnet.metrics.ConfusionMatrix;
import io.segnet.metrics.MetricConfig;
import io.segnet.metrics.Reduction;
import io.segnet.metrics.SegmentationEvaluator;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Locale;
import java.util.Random;

/**
 * Times {@link ConfusionMatrix#add} on a 512 x 512 map with 21 classes.
 *
 * <pre>java -cp segnet-cli/target/segnet.jar io.segnet.bench.metrics.ConfusionMatrixBenchmark</pre>
 *
 * Prints the median and 90th percentile over 300 calls, after 100 warm-up calls, of: add with
 * float {@code [1,1,512,512]} INDArrays (what segnet-data gives), add with {@code int[]} maps, addScores with
 * {@code [1,21,512,512]} logits, and an image-wise evaluator update.
 */
public final class ConfusionMatrixBenchmark {

    /** 100 warm-up calls, then 300 timed calls. */
    static final TimingPlan PLAN = TimingPlan.of(100, 300);
    static final int SIDE = 512;
    static final int CLASSES = 21;

    private ConfusionMatrixBenchmark() {
    }

    /** Runs the benchmark; no arguments. */
    public static void main(String[] args) {
        Random random = new Random(42);
        int pixels = SIDE * SIDE;
        int[] truth = new int[pixels];
        int[] prediction = new int[pixels];
        // Blocky label map (as real ones are), 5% ignored, predictions 80% right.
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                int i = y * SIDE + x;
                int label = ((y / 32) * 7 + (x / 48) * 3) % CLASSES;
                truth[i] = random.nextInt(20) == 0 ? 255 : label;
                prediction[i] = random.nextInt(5) == 0 ? random.nextInt(CLASSES) : label;
            }
        }
        float[] t = new float[pixels];
        float[] p = new float[pixels];
        for (int i = 0; i < pixels; i++) {
            t[i] = truth[i];
            p[i] = prediction[i];
        }
        INDArray truthMap = Nd4j.create(t, new long[] {1, 1, SIDE, SIDE}, 'c');
        INDArray predictionMap = Nd4j.create(p, new long[] {1, 1, SIDE, SIDE}, 'c');
        INDArray logits = Nd4j.rand(DataType.FLOAT, 1, CLASSES, SIDE, SIDE);

        ConfusionMatrix m = new ConfusionMatrix(CLASSES);
        report("add(INDArray float [1,1,512,512])", () -> m.add(predictionMap, truthMap));
        report("add(int[], int[]) 512x512", () -> m.add(prediction, truth));
        report("addScores(INDArray float [1,21,512,512])", () -> m.addScores(logits, truthMap));
        SegmentationEvaluator imagewise = new SegmentationEvaluator(
                MetricConfig.numbered(CLASSES).withReduction(Reduction.IMAGEWISE));
        report("image-wise evaluator update, float [1,1,512,512]", () -> imagewise.update(predictionMap, truthMap));
        System.out.println("pixels counted in total: " + m.countedPixels() + " (keeps the JIT honest)");
    }

    private static void report(String what, Runnable call) {
        Timings t = Timings.measure(call, PLAN);
        System.out.printf(Locale.ROOT, "%-50s median %.3f ms, p90 %.3f ms, min %.3f ms%n", what, t.median(),
                t.percentile(90), t.min());
    }
}
