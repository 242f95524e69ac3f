package io.segnet.bench.layers;

import io.segnet.bench.Machine;
import io.segnet.core.engine.dnnl.DnnlConvOps;
import io.segnet.core.engine.kernels.AtrousOps;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Locale;

/**
 * Times {@link AtrousOps} against {@link DnnlConvOps}, forward + backward (input, weight and bias gradients), FLOAT,
 * median of 7 runs after 3 warm-ups, on the L2 case (3x3, rate 12, 64 -> 64 channels, [4, 64, 64, 64]) and on DeepLab
 * ASPP branches ([4, 512, 16, 16] -> 128 channels, rates 6, 12, 18):
 * {@code java -cp segnet-cli/target/segnet.jar io.segnet.bench.layers.AtrousBenchmark}.
 *
 * <p>Wall times suffer badly when other processes compete for the cores ({@link Machine}). The minimum is printed
 * beside the median, and the CPU time of the calling thread, which is the whole work when run single-threaded
 * ({@code OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 java -Djava.util.concurrent.ForkJoinPool.common.parallelism=0 ...})
 * and then hardly depends on other processes.
 */
public final class AtrousBenchmark {
    private AtrousBenchmark() {
    }

    /** Prints the machine's load, then one line per shape; no arguments. */
    public static void main(String[] args) {
        System.out.println("oneDNN binding available: " + DnnlConvOps.available()
                + (DnnlConvOps.available() ? "" : " (" + DnnlConvOps.loadFailure() + ")") + "; "
                + Machine.describe());
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
        KernelTimes atrous = KernelTimes.measure(() -> {
            AtrousOps.forward(x, wt, b, out, rate, rate, rate, rate);
            AtrousOps.backward(x, wt, dy, dx, dW, db, rate, rate, rate, rate);
        }, () -> AtrousOps.forward(x, wt, b, out, rate, rate, rate, rate));
        String line = String.format(Locale.ROOT, "%-34s %s", name, atrous.describe("AtrousOps", 1));
        if (DnnlConvOps.available()) {
            KernelTimes dnnl = KernelTimes.measure(() -> {
                DnnlConvOps.forward(x, wt, b, out, rate, rate, rate, rate);
                DnnlConvOps.backward(x, wt, dy, dx, dW, db, rate, rate, rate, rate);
            }, () -> DnnlConvOps.forward(x, wt, b, out, rate, rate, rate, rate));
            line += String.format(Locale.ROOT, "  %s  speed-up %.2fx  [%s]", dnnl.describe("DnnlConvOps", 1),
                    dnnl.speedUpOver(atrous), DnnlConvOps.describe(x, wt, true, 1, 1, rate, rate, rate, rate));
        }
        System.out.println(line);
    }
}
