package io.segnet.core.bench;

import io.segnet.core.engine.kernels.BatchNormOps;
import io.segnet.core.engine.dnnl.DnnlBatchNormOps;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * Times {@link BatchNormOps} against {@link DnnlBatchNormOps}, training-mode forward (with the running-statistics
 * update) + backward, FLOAT, median of 7 runs after 3 warm-ups, without and with the fused ReLU, on the L5 case
 * ([4, 64, 64, 64]) and on the U-Net benchmark's first block ([32, 16, 64, 84]). Not a test: run it as a main class on
 * the test class path, e.g. {@code java -cp segnet-core/target/test-classes:segnet-core/target/classes:<deps>
 * io.segnet.core.bench.BatchNormBenchmark}.
 *
 * <p>As for {@link AtrousBenchmark}: wall times suffer when other processes compete for the cores (run with
 * {@code OMP_WAIT_POLICY=PASSIVE} to see the kernels' own time); the minimum and the CPU time of the calling thread are
 * printed too (BatchNormOps runs its channels on the fork-join pool, oneDNN on OpenMP threads, so the calling thread's
 * CPU time is the whole work only when both run single-threaded).
 */
public final class BatchNormBenchmark {
    private BatchNormBenchmark() {
    }

    private static final int WARMUP = 3, RUNS = 7;

    public static void main(String[] args) {
        System.out.println("oneDNN binding available: " + DnnlBatchNormOps.available() + "; OMP_NUM_THREADS="
                + System.getenv("OMP_NUM_THREADS") + ", OMP_WAIT_POLICY=" + System.getenv("OMP_WAIT_POLICY")
                + ", cores " + Runtime.getRuntime().availableProcessors() + ", load " + loadAverage());
        for (boolean relu : new boolean[] {false, true}) {
            bench("L5    [4,64,64,64]" + (relu ? " +relu" : ""), new long[] {4, 64, 64, 64}, relu);
            bench("U-Net [32,16,64,84]" + (relu ? " +relu" : ""), new long[] {32, 16, 64, 84}, relu);
        }
    }

    private static void bench(String name, long[] shape, boolean relu) {
        Nd4j.getRandom().setSeed(1);
        int c = (int) shape[1];
        INDArray x = Nd4j.randn(DataType.FLOAT, shape).muli(2).addi(0.3), dy = Nd4j.randn(DataType.FLOAT, shape);
        INDArray gamma = Nd4j.rand(DataType.FLOAT, c).addi(0.5), beta = Nd4j.randn(DataType.FLOAT, c);
        INDArray rm = Nd4j.zeros(DataType.FLOAT, c), rv = Nd4j.ones(DataType.FLOAT, c);
        INDArray out = Nd4j.create(DataType.FLOAT, shape), dx = Nd4j.create(DataType.FLOAT, shape);
        INDArray dg = Nd4j.create(DataType.FLOAT, c), db = Nd4j.create(DataType.FLOAT, c);
        double[] java = time(() -> {
            BatchNormOps.BatchStats s = BatchNormOps.forwardTraining(x, gamma, beta, rm, rv, 0.1, 1e-5, relu, out);
            BatchNormOps.backwardTraining(x, gamma, s, relu, out, dy, dx, dg, db);
        }, () -> BatchNormOps.forwardTraining(x, gamma, beta, rm, rv, 0.1, 1e-5, relu, out));
        String line = String.format("%-26s BatchNormOps %6.2f ms (min %6.2f, fwd %6.2f, thread cpu %6.2f)", name,
                java[0], java[3], java[1], java[2]);
        if (DnnlBatchNormOps.available()) {
            DnnlBatchNormOps.BatchStats[] kept = new DnnlBatchNormOps.BatchStats[1];
            double[] dnnl = time(() -> {
                kept[0] = DnnlBatchNormOps.forwardTraining(x, gamma, beta, rm, rv, 0.1, 1e-5, relu, out, kept[0]);
                DnnlBatchNormOps.backwardTraining(x, gamma, kept[0], relu, out, dy, dx, dg, db);
            }, () -> kept[0] = DnnlBatchNormOps.forwardTraining(x, gamma, beta, rm, rv, 0.1, 1e-5, relu, out,
                    kept[0]));
            line += String.format("  DnnlBatchNormOps %6.2f ms (min %6.2f, fwd %6.2f, thread cpu %6.2f)  speed-up"
                    + " %.2fx  [%s]", dnnl[0], dnnl[3], dnnl[1], dnnl[2], java[0] / dnnl[0],
                    DnnlBatchNormOps.describe(x, relu));
        }
        System.out.println(line);
    }

    /** The 1-minute load average (other processes compete for the cores), or "?" off Linux. */
    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException | RuntimeException e) {
            return "?";
        }
    }

    /**
     * For {@code both} (forward + backward): median wall milliseconds, median wall milliseconds of {@code fwd} alone,
     * median CPU milliseconds of the calling thread, minimum wall milliseconds.
     */
    private static double[] time(Runnable both, Runnable fwd) {
        double[] b = measure(both);
        return new double[] {b[0], measure(fwd)[0], b[1], b[2]};
    }

    private static double[] measure(Runnable r) {
        for (int i = 0; i < WARMUP; i++) {
            r.run();
        }
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        double[] wall = new double[RUNS], cpu = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long c = threads.getCurrentThreadCpuTime(), s = System.nanoTime();
            r.run();
            wall[i] = (System.nanoTime() - s) / 1e6;
            cpu[i] = (threads.getCurrentThreadCpuTime() - c) / 1e6;
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        return new double[] {wall[RUNS / 2], cpu[RUNS / 2], wall[0]};
    }
}
