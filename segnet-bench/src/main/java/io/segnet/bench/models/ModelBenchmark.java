package io.segnet.bench.models;

import io.segnet.bench.TimingPlan;
import io.segnet.bench.Timings;
import io.segnet.models.ModelConfig;
import io.segnet.models.SegmentationModel;
import io.segnet.models.SegmentationModels;
import io.segnet.models.Training;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Times the model cases of {@code ../shared/bench/torch_reference.py} on segnet, the same way:
 * M1 and M2 time one training step ({@code SegmentationModel.fit}, as the trainer calls it: forward, loss, backward,
 * Adam update), I1 and I2 one inference pass ({@code SegmentationModel.logits} of the model with batch norm folded, as
 * the predictor runs it), each with at least {@link TimingPlan#REFERENCE_WARMUP_RUNS} warm-up runs and
 * {@link TimingPlan#REFERENCE_WARMUP_SECONDS} of warm-up (for the JIT), then 5 timed runs, float32, random inputs and
 * labels.
 *
 * <p>Usage: {@code ModelBenchmark CASE [CASE ...]} with cases {@code M1 M2 I1 I2} (or {@code segnet benchmark M1 ...});
 * prints one JSON line per case, {@code {"case": ..., "what": ..., "ms_median": ..., "ms_min": ..., "ms_max": ...,
 * "runs": 5}}. With {@code --layers}, also prints the forward and backward time per layer type and the slowest
 * vertices of one pass (to stderr, before the case's JSON line).
 */
public final class ModelBenchmark {
    private static final List<String> CASES = List.of("M1", "M2", "I1", "I2");

    private ModelBenchmark() {
    }

    /** One case: its description, model and a step to time. */
    record Case(String what, ModelConfig config, int batch, boolean train) {
    }

    private static Case of(String name) {
        return switch (name) {
            case "M1" -> new Case("train step: U-Net base 16 (M1), 1 -> 11 classes, N32 64x84, Adam",
                    BenchmarkModels.unetM1(), 32, true);
            case "M2" -> new Case("train step: DeepLabv3+ ResNet-18 OS16 ASPP 128 (M2), 3 -> 21 classes, N4 256x256,"
                    + " Adam", BenchmarkModels.deeplabM2(), 4, true);
            case "I1" -> new Case("inference: FCN-8s VGG16 (I1), 21 classes, N1 256x256", BenchmarkModels.fcnI1(), 1,
                    false);
            case "I2" -> new Case("inference: U-Net base 16 (M1), N32 64x84", BenchmarkModels.unetM1(), 32, false);
            default -> throw new IllegalArgumentException("unknown case '" + name + "'; known: M1 M2 I1 I2");
        };
    }

    /** Case names in order: M1, M2, I1, I2. */
    public static List<String> cases() {
        return CASES;
    }

    /**
     * Runs one case as {@link TimingPlan#reference()} says and returns its JSON line ({@link Timings#jsonLine}).
     */
    public static String run(String name) {
        return run(name, null);
    }

    /** As {@link #run(String)}, then, if {@code layerProfile} is not null, prints a per-layer profile there. */
    private static String run(String name, PrintStream layerProfile) {
        Prepared p = prepare(name);
        String line = Timings.measure(p.step(), TimingPlan.reference()).jsonLine(name, p.c().what());
        if (layerProfile != null) {
            LayerTimes.print(p.model(), p.x(), p.c().train() ? p.y() : null, layerProfile);
        }
        return line;
    }

    /** A case ready to time: the model it runs (folded for inference cases), its inputs and its step. */
    record Prepared(Case c, SegmentationModel model, INDArray x, INDArray y, Runnable step) {
    }

    /** Builds case {@code name} as {@link #run(String)} times it. */
    static Prepared prepare(String name) {
        Case c = of(name);
        SegmentationModel model = SegmentationModels.create(c.config(), Training.defaults().withSeed(0));
        ModelConfig cfg = c.config();
        Nd4j.getRandom().setSeed(0);
        INDArray x = Nd4j.rand(DataType.FLOAT, c.batch(), cfg.inChannels(), cfg.inputHeight(), cfg.inputWidth());
        INDArray y = Nd4j.rand(DataType.FLOAT, c.batch(), 1, cfg.inputHeight(), cfg.inputWidth())
                .muli(cfg.numClasses()).castTo(DataType.INT32).castTo(DataType.FLOAT);
        if (c.train()) {
            return new Prepared(c, model, x, y, () -> model.fit(x, y));
        }
        // As segnet predict and evaluate run a model: batch norm folded into the convolutions.
        SegmentationModel inference = model.foldedForInference();
        return new Prepared(c, inference, x, y, () -> inference.recycle(inference.logits(x)));
    }

    /** {@code ModelBenchmark [--layers] [CASE ...]}: runs the cases (default: all), one JSON line each. */
    public static void main(String[] args) {
        List<String> cases = new ArrayList<>();
        boolean layers = false;
        for (String a : args) {
            if (a.equals("--layers")) {
                layers = true;
            } else {
                cases.add(a.toUpperCase(Locale.ROOT));
            }
        }
        for (String name : cases.isEmpty() ? CASES : cases) {
            System.out.println(run(name, layers ? System.err : null));
        }
    }
}
