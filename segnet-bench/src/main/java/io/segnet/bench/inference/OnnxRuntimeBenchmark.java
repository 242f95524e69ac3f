package io.segnet.bench.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.segnet.bench.Machine;
import io.segnet.bench.TimingPlan;
import io.segnet.bench.Timings;
import io.segnet.bench.models.BenchmarkModels;
import io.segnet.models.ModelConfig;
import io.segnet.models.SegmentationModel;
import io.segnet.models.SegmentationModels;
import io.segnet.models.Training;
import io.segnet.models.deeplab.DeepLabV3PlusConfig;
import io.segnet.onnx.OnnxExport;
import io.segnet.onnx.OnnxExportOptions;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * segnet's inference against ONNX Runtime's on the same model, exported by {@link OnnxExport} (batch norm folded):
 * ONNX Runtime is the engine a deploying user would pick instead of segnet, so its time is a bar for segnet's own
 * inference. Cases: I1 (FCN-8s VGG16, N1 256x256), I2 (U-Net base 16, N32 64x84) and D50 (DeepLabv3+ ResNet-50 OS16,
 * N1 512x512). Both engines time the logits of the same input with the same plan ({@link TimingPlan#reference()});
 * ONNX Runtime on the CPU with 2 intra-op threads and all graph optimisations, segnet with its defaults. Before
 * timing, the two outputs are compared (max abs difference relative to the logits' range).
 *
 * <p>ONNX Runtime is not in segnet.jar (it is {@code provided} here); put its jar on the class path:
 * <pre>
 * java -Xmx8g -cp segnet-cli/target/segnet.jar:$HOME/.m2/repository/com/microsoft/onnxruntime/onnxruntime/1.20.0/onnxruntime-1.20.0.jar \
 *     io.segnet.bench.inference.OnnxRuntimeBenchmark [I1 I2 D50]
 * </pre>
 */
public final class OnnxRuntimeBenchmark {
    private static final List<String> CASES = List.of("I1", "I2", "D50");

    private OnnxRuntimeBenchmark() {
    }

    private record Case(String what, ModelConfig config, int batch) {
    }

    private static Case of(String name) {
        return switch (name) {
            case "I1" -> new Case("FCN-8s VGG16 (I1), 21 classes, N1 256x256", BenchmarkModels.fcnI1(), 1);
            case "I2" -> new Case("U-Net base 16 (I2), 11 classes, N32 64x84", BenchmarkModels.unetM1(), 32);
            case "D50" -> new Case("DeepLabv3+ ResNet-50 OS16, 21 classes, N1 512x512",
                    DeepLabV3PlusConfig.standard(3, 21, 512, 512), 1);
            default -> throw new IllegalArgumentException("unknown case '" + name + "'; known: " + CASES);
        };
    }

    /** One case's result. */
    record Result(String name, String what, double segnetMs, double ortMs, double relativeError) {
        String row() {
            return String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.2f | %.1e |", name, what, segnetMs, ortMs,
                    segnetMs / ortMs, relativeError);
        }
    }

    static Result run(String name, OrtEnvironment env) throws OrtException {
        Case c = of(name);
        ModelConfig cfg = c.config();
        // As segnet predict and evaluate run a model: batch norm folded into the convolutions.
        SegmentationModel model = SegmentationModels.create(cfg, Training.defaults().withSeed(0)).foldedForInference();
        Nd4j.getRandom().setSeed(0);
        INDArray x = Nd4j.rand(DataType.FLOAT, c.batch(), cfg.inChannels(), cfg.inputHeight(), cfg.inputWidth());
        INDArray expected = model.logits(x);
        double segnet = Timings.measure(() -> model.recycle(model.logits(x)), TimingPlan.reference()).median();

        byte[] onnx = OnnxExport.toModel(model, OnnxExportOptions.defaults(), Map.of()).toByteArray();
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        o.setIntraOpNumThreads(2);
        o.setInterOpNumThreads(1);
        try (OrtSession session = env.createSession(onnx, o);
             OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.dup('c').data().asFloat()),
                     x.shape())) {
            Map<String, OnnxTensor> feed = Map.of(OnnxExport.INPUT, input);
            double error;
            try (OrtSession.Result r = session.run(feed)) {
                FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
                float[] z = new float[fb.remaining()];
                fb.get(z);
                INDArray actual = Nd4j.create(z, expected.shape(), 'c');
                double range = expected.maxNumber().doubleValue() - expected.minNumber().doubleValue();
                error = Nd4j.math().abs(expected.sub(actual)).maxNumber().doubleValue() / range;
            }
            double ort = Timings.measure(() -> {
                try (OrtSession.Result r = session.run(feed)) {
                    r.get(0);
                } catch (OrtException e) {
                    throw new IllegalStateException(e);
                }
            }, TimingPlan.reference()).median();
            return new Result(name, c.what(), segnet, ort, error);
        }
    }

    /** {@code OnnxRuntimeBenchmark [CASE ...]} (default I1 I2 D50): prints a Markdown table row per case. */
    public static void main(String[] args) throws OrtException {
        List<String> cases = new ArrayList<>();
        for (String a : args) {
            cases.add(a.toUpperCase(Locale.ROOT));
        }
        if (cases.isEmpty()) {
            cases.addAll(CASES);
        }
        System.out.println("# " + Machine.describe());
        System.out.println("| case | model | segnet ms | ONNX Runtime ms | segnet / ORT | max error / logit range |");
        System.out.println("|---|---|---|---|---|---|");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        for (String c : cases) {
            System.out.println(run(c, env).row());
        }
    }
}
