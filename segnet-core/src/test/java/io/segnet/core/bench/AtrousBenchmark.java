package io.segnet.core.bench;

import io.segnet.core.engine.kernels.AtrousOps;
import io.segnet.core.engine.dnnl.DnnlConvOps;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * Times {@link AtrousOps} against {@link DnnlConvOps}, forward + backward (input, weight and bias gradients), FLOAT,
 * median of 7 runs after 3 warm-ups, on the L2 case (3x3, rate 12, 64 -> 64 channels, [4, 64, 64, 64]) and on DeepLab
 * ASPP branches ([4, 512, 16, 16] -> 128 channels, rates 6, 12, 18). Not a test: run it as a main class on the test
 * class path, e.g. {@code java -cp segnet-core/target/test-classes:segnet-core/target/classes:<deps>
 * io.segnet.core.bench.AtrousBenchmark}.
 *
 * <p>Wall times suffer badly when other processes compete for the cores (OpenMP and OpenBLAS threads spin at
 * barriers; {@code OMP_WAIT_POLICY=PASSIVE} helps). The minimum is printed beside the median, and the CPU time of the
 * calling thread, which is the whole work when run single-threaded
 * ({@code OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 java -Djava.util.concurrent.ForkJoinPool.common.parallelism=0 ...})
 * and then hardly depends on other processes.
 */
public final class AtrousBenchmark {
    private AtrousBenchmark() {
    }

    private static final int WARMUP = 3, RUNS = 7;

    public static void main(String[] args) {
        System.out.println("oneDNN binding available: " + DnnlConvOps.available()
                + (DnnlConvOps.available() ? "" : " (" + DnnlConvOps.loadFailure() + ")") + "; OMP_NUM_THREADS="
                + System.getenv("OMP_NUM_THREADS") + ", OMP_WAIT_POLICY=" + System.getenv("OMP_WAIT_POLICY")
                + ", cores " + Runtime.getRuntime().availableProcessors() + ", load " + loadAverage());
        bench("L2   [4,64,64,64] -> 64, rate 12", 4, 64, 64, 64, 64, 12);
        for (int rate : new int[] {6, 12, 18}) {
            bench("ASPP [4,512,16,16] -> 128, rate " + rate, 4, 512, 16, 16, 128, rate);
        }
    }

    private static void bench(String name, int n, int ic, int h, int w, int oc, int rate) {
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.randn(DataType.FLOAT, n, ic, h, w);
        INDArray wt = Nd4j.randn(DataType.FLOAT, oc, ic, 3, 3).muli(0.05);
        INDArray b = Nd4j.randn(DataType.FLOAT, oc);
        INDArray out = Nd4j.create(DataType.FLOAT, n, oc, h, w), dy = Nd4j.randn(DataType.FLOAT, n, oc, h, w);
        INDArray dx = Nd4j.create(DataType.FLOAT, n, ic, h, w), dW = Nd4j.create(DataType.FLOAT, oc, ic, 3, 3);
        INDArray db = Nd4j.create(DataType.FLOAT, oc);
        double[] atrous = time(() -> {
            AtrousOps.forward(x, wt, b, out, rate, rate, rate, rate);
            AtrousOps.backward(x, wt, dy, dx, dW, db, rate, rate, rate, rate);
        }, () -> AtrousOps.forward(x, wt, b, out, rate, rate, rate, rate));
        String line = String.format("%-34s AtrousOps %6.1f ms (min %6.1f, fwd %5.1f, thread cpu %6.1f)", name,
                atrous[0], atrous[3], atrous[1], atrous[2]);
        if (DnnlConvOps.available()) {
            double[] dnnl = time(() -> {
                DnnlConvOps.forward(x, wt, b, out, rate, rate, rate, rate);
                DnnlConvOps.backward(x, wt, dy, dx, dW, db, rate, rate, rate, rate);
            }, () -> DnnlConvOps.forward(x, wt, b, out, rate, rate, rate, rate));
            line += String.format(
                    "  DnnlConvOps %6.1f ms (min %6.1f, fwd %5.1f, thread cpu %6.1f)  speed-up %.2fx  [%s]", dnnl[0],
                    dnnl[3], dnnl[1], dnnl[2], atrous[0] / dnnl[0],
                    DnnlConvOps.describe(x, wt, true, 1, 1, rate, rate, rate, rate));
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
     * For {@code both} (forward + backward): median and minimum wall milliseconds and the median CPU milliseconds of
     * the calling thread; then the median wall milliseconds of {@code fwd} alone.
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
