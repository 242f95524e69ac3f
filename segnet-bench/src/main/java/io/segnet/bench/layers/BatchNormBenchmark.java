package io.segnet.bench.layers;

import io.segnet.bench.Machine;
import io.segnet.core.engine.dnnl.DnnlBatchNormOps;
import io.segnet.core.engine.kernels.BatchNormOps;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Locale;

/**
 * Times {@link BatchNormOps} against {@link DnnlBatchNormOps}, training-mode forward (with the running-statistics
 * update) + backward, FLOAT, median of 7 runs after 3 warm-ups, without and with the fused ReLU, on the L5 case
 * ([4, 64, 64, 64]) and on the U-Net benchmark's first block ([32, 16, 64, 84]):
 * {@code java -cp segnet-cli/target/segnet.jar io.segnet.bench.layers.BatchNormBenchmark}.
 *
 * <p>As for {@link AtrousBenchmark}: wall times suffer when other processes compete for the cores ({@link Machine};
 * run with {@code OMP_WAIT_POLICY=PASSIVE} to see the kernels' own time); the minimum and the CPU time of the calling
 * thread are printed too (BatchNormOps runs its channels on the fork-join pool, oneDNN on OpenMP threads, so the calling thread's
 * CPU time is the whole work only when both run single-threaded).
 */
public final class BatchNormBenchmark {
    private BatchNormBenchmark() {
    }

    /** Prints the machine's load, then one line per shape, without and with the fused ReLU; no arguments. */
    public static void main(String[] args) {
        System.out.println("oneDNN binding available: " + DnnlBatchNormOps.available() + "; " + Machine.describe());
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
        KernelTimes java = KernelTimes.measure(() -> {
            BatchNormOps.BatchStats s = BatchNormOps.forwardTraining(x, gamma, beta, rm, rv, 0.1, 1e-5, relu, out);
            BatchNormOps.backwardTraining(x, gamma, s, relu, out, dy, dx, dg, db);
        }, () -> BatchNormOps.forwardTraining(x, gamma, beta, rm, rv, 0.1, 1e-5, relu, out));
        String line = String.format(Locale.ROOT, "%-26s %s", name, java.describe("BatchNormOps", 2));
        if (DnnlBatchNormOps.available()) {
            DnnlBatchNormOps.BatchStats[] kept = new DnnlBatchNormOps.BatchStats[1];
            KernelTimes dnnl = KernelTimes.measure(() -> {
                kept[0] = DnnlBatchNormOps.forwardTraining(x, gamma, beta, rm, rv, 0.1, 1e-5, relu, out, kept[0]);
                DnnlBatchNormOps.backwardTraining(x, gamma, kept[0], relu, out, dy, dx, dg, db);
            }, () -> kept[0] = DnnlBatchNormOps.forwardTraining(x, gamma, beta, rm, rv, 0.1, 1e-5, relu, out,
                    kept[0]));
            line += String.format(Locale.ROOT, "  %s  speed-up %.2fx  [%s]", dnnl.describe("DnnlBatchNormOps", 2),
                    dnnl.speedUpOver(java), DnnlBatchNormOps.describe(x, relu));
        }
        System.out.println(line);
    }
}
