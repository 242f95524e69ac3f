package io.segnet.bench.layers;

import io.segnet.bench.TimingPlan;
import io.segnet.bench.Timings;
import io.segnet.core.graph.BilinearResize;
import io.segnet.core.graph.Concat;
import io.segnet.core.graph.MaxUnpool;
import io.segnet.core.layers.AdaptiveAvgPool2D;
import io.segnet.core.layers.BatchNorm;
import io.segnet.core.layers.Conv2D;
import io.segnet.core.layers.MaxPool2D;
import io.segnet.core.layers.SeparableConv2D;
import io.segnet.core.layers.TransposedConv2D;
import io.segnet.core.runtime.GradientBuffers;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The layer cases L1-L8 of {@code shared/bench/torch_reference.py}, with the same shapes, on segnet's layers: each
 * case is a {@link ComputationGraph} {@code input -> op -> SumLoss}, timed over forward + backward
 * ({@code computeGradientAndScore}, the training path with DL4J's workspaces). Prints one JSON line per case in
 * torch_reference.py's format: {@code {"case", "what", "ms_median", "ms_min", "ms_max", "runs"}}; at least
 * {@link TimingPlan#REFERENCE_WARMUP_RUNS} warm-up runs and {@link TimingPlan#REFERENCE_WARMUP_SECONDS} of warm-up,
 * then 5 timed runs.
 *
 * <pre>java -cp segnet-cli/target/segnet.jar io.segnet.bench.layers.LayerBenchmark [L1 ... L8]</pre>
 * or {@code segnet benchmark L1 ... L8}.
 */
public final class LayerBenchmark {
    private LayerBenchmark() {
    }

    /** One case: what it measures, the input shape {@code [N, C, H, W]} and the graph body after the input. */
    record Case(String what, long[] input, Consumer<ComputationGraphConfiguration.GraphBuilder> body, String out) {
    }

    static final Map<String, Case> CASES = new LinkedHashMap<>();

    static {
        CASES.put("L1", new Case("conv 3x3, 64->64, N4 64x64, fwd+bwd", new long[]{4, 64, 64, 64},
                b -> b.addLayer("op", new Conv2D(64, 64, 3).padding(1), "in"), "op"));
        CASES.put("L2", new Case("atrous conv 3x3 dilation 12, 64->64, N4 64x64, fwd+bwd", new long[]{4, 64, 64, 64},
                b -> b.addLayer("op", new Conv2D(64, 64, 3).dilation(12).padding(12), "in"), "op"));
        CASES.put("L3", new Case("transposed conv k4 s2 p1, 64->64, N4 64x64 -> 128x128, fwd+bwd",
                new long[]{4, 64, 64, 64}, b -> b.addLayer("op", new TransposedConv2D(64, 64, 4, 2).padding(1), "in"), "op"));
        CASES.put("L4", new Case("depthwise-separable atrous conv 3x3 dilation 6 (depthwise + 1x1), 64->64, N4 64x64,"
                + " fwd+bwd", new long[]{4, 64, 64, 64}, b -> b.addLayer("op", new SeparableConv2D(64, 64, 6), "in"), "op"));
        CASES.put("L5", new Case("batch norm (training mode), 64 ch, N4 64x64, fwd+bwd", new long[]{4, 64, 64, 64},
                b -> b.addLayer("op", new BatchNorm(64), "in"), "op"));
        CASES.put("L6", new Case("bilinear resize x4 (align_corners=False), 64 ch, N4 32x32 -> 128x128, fwd+bwd",
                new long[]{4, 64, 32, 32}, b -> b.addVertex("op", BilinearResize.byScale(4, false), "in"), "op"));
        CASES.put("L7", new Case("max pool 2x2 with indices + max unpool, 64 ch, N4 64x64, fwd+bwd",
                new long[]{4, 64, 64, 64}, b -> b.addLayer("pool", new MaxPool2D(2, 2), "in")
                .addVertex("op", new MaxUnpool("pool"), "pool"), "op"));
        CASES.put("L8", new Case("pyramid pooling: adaptive avg pool bins 1,2,3,6 + bilinear back + concat, 64 ch, N4"
                + " 60x60, fwd+bwd", new long[]{4, 64, 60, 60}, b -> {
            List<String> branches = new ArrayList<>(List.of("in"));
            for (int bins : new int[]{1, 2, 3, 6}) {
                b.addLayer("pool" + bins, new AdaptiveAvgPool2D(bins), "in");
                b.addVertex("up" + bins, BilinearResize.toReference(false), "pool" + bins, "in");
                branches.add("up" + bins);
            }
            b.addVertex("op", new Concat(), branches.toArray(new String[0]));
        }, "op"));
    }

    /** Builds the case's graph (float32). */
    static ComputationGraph graph(Case c) {
        var b = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).updater(new NoOp()).seed(0)
                .graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(c.input()[2], c.input()[3], c.input()[1]));
        c.body().accept(b);
        b.addLayer("sum", new SumLoss(), c.out()).setOutputs("sum");
        ComputationGraph g = new ComputationGraph(b.build());
        g.init();
        return g;
    }

    /**
     * Runs one case as {@link TimingPlan#reference()} says and returns its JSON line ({@link Timings#jsonLine}).
     */
    public static String run(String name) {
        Case c = CASES.get(name);
        if (c == null) {
            throw new IllegalArgumentException("unknown layer case " + name + "; cases: " + CASES.keySet());
        }
        ComputationGraph g = graph(c);
        INDArray x = Nd4j.rand(DataType.FLOAT, c.input());
        g.setInputs(x);
        g.setLabels(Nd4j.zeros(DataType.FLOAT, 1));
        // As SegmentationModel.fit: the step's activation gradients go back to the pool once it has finished.
        return Timings.measure(() -> {
            g.computeGradientAndScore();
            GradientBuffers.reclaimAll();
        }, TimingPlan.reference()).jsonLine(name, c.what());
    }

    /** Case names in order. */
    public static List<String> cases() {
        return List.copyOf(CASES.keySet());
    }

    /** {@code LayerBenchmark [CASE ...]}: runs the cases (default: all), one JSON line each. */
    public static void main(String[] args) {
        List<String> names = args.length == 0 ? cases() : Arrays.asList(args);
        for (String n : names) {
            System.out.println(run(n));
        }
    }
}
