package io.segnet.bench.models;

import io.segnet.core.engine.dnnl.DnnlConvOps;
import io.segnet.core.runtime.GradientBuffers;
import io.segnet.core.runtime.NativeHeap;
import io.segnet.models.ModelConfig;
import io.segnet.models.SegmentationModel;
import io.segnet.models.SegmentationModels;
import io.segnet.models.Training;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Locale;
import java.util.Map;

/**
 * Where a training step's memory goes: runs a few training steps of one {@link RealisticBenchmark} case and prints
 * the process's resident memory beside the parts segnet knows the size of: parameters, their gradients and the
 * optimiser state, DL4J's workspaces (the activations kept for the backward pass), the free activation-gradient
 * buffers of {@link GradientBuffers}, and oneDNN's arena ({@link DnnlConvOps#arenaBytes()}). What is left is the JVM,
 * the native libraries and whatever else the process holds.
 *
 * <p>{@code java -cp segnet-cli/target/segnet.jar io.segnet.bench.models.TrainingMemory train-unet-vgg16bn [STEPS]}
 */
public final class TrainingMemory {
    private TrainingMemory() {
    }

    public static void main(String[] args) {
        Map<String, RealisticBenchmark.Case> cases = RealisticBenchmark.cases();
        RealisticBenchmark.Case c = args.length == 0 ? null : cases.get(args[0]);
        if (c == null || !c.train()) {
            System.err.println("usage: TrainingMemory TRAINING_CASE [STEPS]; cases: " + cases.values().stream()
                    .filter(RealisticBenchmark.Case::train).map(RealisticBenchmark.Case::name).toList());
            System.exit(2);
        }
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        ModelConfig cfg = c.config();
        SegmentationModel model = SegmentationModels.create(cfg, Training.defaults().withSeed(0));
        resident("model built");
        Nd4j.getRandom().setSeed(0);
        INDArray x = Nd4j.rand(DataType.FLOAT, c.batch(), cfg.inChannels(), cfg.inputHeight(), cfg.inputWidth());
        INDArray y = Nd4j.rand(DataType.FLOAT, c.batch(), 1, cfg.inputHeight(), cfg.inputWidth())
                .muli(cfg.numClasses()).castTo(DataType.INT32).castTo(DataType.FLOAT);
        for (int i = 1; i <= steps; i++) {
            model.fit(x, y);
            resident("after step " + i);
        }
        ComputationGraph g = model.graph();
        line("parameters", bytes(g.params()));
        line("parameter gradients", bytes(g.getGradientsViewArray()));
        line("optimiser state", bytes(g.getUpdater() == null ? null : g.getUpdater().getStateViewArray()));
        for (MemoryWorkspace w : Nd4j.getWorkspaceManager().getAllWorkspacesForCurrentThread()) {
            if (w.getCurrentSize() > 0) {
                line("workspace " + w.getId(), w.getCurrentSize());
            }
        }
        line("free activation-gradient buffers", GradientBuffers.pooledBytes());
        line("oneDNN arena", DnnlConvOps.arenaBytes());
    }

    private static void resident(String when) {
        System.out.printf(Locale.ROOT, "%-40s resident %8.1f MB, peak %8.1f MB%n", when,
                NativeHeap.residentBytes() / 1048576.0, NativeHeap.peakResidentBytes() / 1048576.0);
    }

    private static long bytes(INDArray a) {
        return a == null ? 0 : a.length() * a.dataType().width();
    }

    private static void line(String what, long bytes) {
        System.out.printf(Locale.ROOT, "%-40s %8.1f MB%n", what, bytes / 1048576.0);
    }
}
