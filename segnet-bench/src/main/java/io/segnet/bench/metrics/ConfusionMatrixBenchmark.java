package io.segnet.bench.metrics;

import io.segnet.metrics.ConfusionMatrix;
import io.segnet.metrics.MetricConfig;
import io.segnet.metrics.Reduction;
import io.segnet.metrics.SegmentationEvaluator;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times {@link ConfusionMatrix#add} on a 512 x 512 map with 21 classes (a benchmark, not a test: run it by hand).
 *
 * <pre>
 * mvn -B -o -q -pl segnet-metrics test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.segnet.metrics.ConfusionMatrixBenchmark
 * </pre>
 *
 * Prints the median and 90th percentile over {@value #RUNS} calls, after {@value #WARMUP} warm-up calls, of: add with
 * float {@code [1,1,512,512]} INDArrays (what segnet-data gives), add with {@code int[]} maps, addScores with
 * {@code [1,21,512,512]} logits, and an image-wise evaluator update.
 */
public final class ConfusionMatrixBenchmark {

    static final int WARMUP = 100;
    static final int RUNS = 300;
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
        INDArray logits = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, CLASSES, SIDE, SIDE);

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
        for (int i = 0; i < WARMUP; i++) {
            call.run();
        }
        double[] ms = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            call.run();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf(Locale.ROOT, "%-50s median %.3f ms, p90 %.3f ms, min %.3f ms%n", what, ms[RUNS / 2],
                ms[RUNS * 9 / 10], ms[0]);
    }
}
