package io.segnet.bench.models;

import io.segnet.bench.TimingPlan;
import io.segnet.bench.Timings;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.FloatPointer;

import java.util.Locale;

/**
 * The fraction of this machine's measured fp32 GEMM peak that a training step reaches (issue: "the physical limit").
 *
 * <p>The peak is the fastest of oneDNN's {@code dnnl_sgemm} (the GEMM behind segnet's convolutions, JIT-compiled for
 * the CPU, on the process's OpenMP threads) on square matrices of 1024, 2048 and 3072, median of 5 runs each after
 * warm-up: {@code 2 n^3} FLOPs per call. The step's work is its forward FLOPs as {@code docs/models.md} counts them
 * ({@link io.segnet.models.ModelSummary#FLOPS_CONVENTION}) times 3 (forward, and the two GEMMs of the backward pass:
 * input and weight gradients) times the batch; its time is the median of the case's step, built and timed as
 * {@link ModelBenchmark} does.
 *
 * <p>Usage: {@code GemmEfficiency [CASE]} (default M1). Prints one JSON line.
 */
public final class GemmEfficiency {
    private GemmEfficiency() {
    }

    /** Median GFLOP/s of {@code dnnl_sgemm} on {@code n x n} matrices. */
    static double sgemmGflops(int n) {
        long len = (long) n * n;
        try (FloatPointer a = new FloatPointer(len); FloatPointer b = new FloatPointer(len);
             FloatPointer c = new FloatPointer(len)) {
            for (long i = 0; i < len; i++) {
                a.put(i, (float) ((i * 7 % 13) - 6) / 13f);
                b.put(i, (float) ((i * 5 % 11) - 5) / 11f);
                c.put(i, 0f);
            }
            Timings t = Timings.measure(() -> {
                int status = dnnl.dnnl_sgemm((byte) 'N', (byte) 'N', n, n, n, 1f, a, n, b, n, 0f, c, n);
                if (status != dnnl.dnnl_success) {
                    throw new IllegalStateException("dnnl_sgemm failed: " + status);
                }
            }, TimingPlan.reference());
            return 2.0 * n * n * (double) n / (t.median() * 1e6);
        }
    }

    public static void main(String[] args) {
        String name = args.length > 0 ? args[0].toUpperCase(Locale.ROOT) : "M1";
        double peak = 0;
        StringBuilder sizes = new StringBuilder();
        for (int n : new int[]{1024, 2048, 3072}) {
            double g = sgemmGflops(n);
            peak = Math.max(peak, g);
            sizes.append(String.format(Locale.ROOT, "%s\"%d\": %.1f", sizes.length() == 0 ? "" : ", ", n, g));
        }
        ModelBenchmark.Prepared prepared = ModelBenchmark.prepare(name);
        ModelBenchmark.Case c = prepared.c();
        long forwardFlops = prepared.model().summary(c.config().inputHeight(), c.config().inputWidth()).flops();
        double stepFlops = 3.0 * forwardFlops * c.batch();
        double ms = Timings.measure(prepared.step(), TimingPlan.reference()).median();
        double achieved = stepFlops / (ms * 1e6);
        System.out.printf(Locale.ROOT, "{\"case\": \"%s\", \"sgemm_gflops\": {%s}, \"peak_gflops\": %.1f,"
                        + " \"forward_gflops_per_image\": %.4f, \"step_gflops\": %.2f, \"step_ms_median\": %.2f,"
                        + " \"achieved_gflops\": %.1f, \"fraction_of_peak\": %.3f}%n", name, sizes, peak,
                forwardFlops / 1e9, stepFlops / 1e9, ms, achieved, achieved / peak);
    }
}
