package io.segnet.bench.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segnet.bench.TimingPlan;
import io.segnet.bench.Timings;
import io.segnet.core.runtime.NativeHeap;
import io.segnet.models.ModelConfig;
import io.segnet.models.SegmentationModel;
import io.segnet.models.SegmentationModels;
import io.segnet.models.Training;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * segnet's side of the realistic-size benchmark ({@code segnet-bench/src/main/python/realistic_benchmark.py}, which
 * runs PyTorch and this class case by case and measures both processes' peak resident memory the same way).
 *
 * <p>The cases are in {@code realistic-cases.json} beside this class: ResNet-50 and VGG16 models (DeepLabv3+, PSPNet,
 * FCN-8s, U-Net, SegNet, UNet++) at 384x480 and 512x512, as segnet model configs, each either one inference pass at
 * batch 1 ({@code "mode": "infer"}: batch norm folded into the convolutions, as {@code segnet predict} runs a model,
 * {@code output()} of the logit outputs) or one training step at batch 2 ({@code "mode": "train"}: {@code fit},
 * i.e. forward, loss, backward and Adam). Random float32 inputs and labels, seed 0; at least 2 warm-up runs and
 * {@link TimingPlan#REFERENCE_WARMUP_SECONDS} of warm-up, then 3 timed runs.
 *
 * <p>Usage: {@code RealisticBenchmark CASE [CASE ...]} (no case: list them); prints one JSON line per case,
 * {@code {"case", "what", "parameters", "ms_median", "ms_min", "ms_max", "runs", "vm_hwm_mb"}}, the last being this
 * process's resident-set high-water mark so far from {@code /proc/self/status} (Linux).
 */
public final class RealisticBenchmark {
    /** The benchmark's warm-up and timed runs: long steps (0.3-20 s), so 3 timed runs. */
    static final TimingPlan PLAN = new TimingPlan(2, TimingPlan.REFERENCE_WARMUP_SECONDS, 3);

    private RealisticBenchmark() {
    }

    /**
     * One case.
     *
     * @param name   case name, e.g. {@code infer-deeplabv3plus-r50}
     * @param what   description
     * @param train  a training step (else an inference pass)
     * @param batch  images per step
     * @param config the model
     */
    public record Case(String name, String what, boolean train, int batch, ModelConfig config) {
    }

    /** The cases of {@code realistic-cases.json}, in file order, by name. */
    public static Map<String, Case> cases() {
        try (InputStream in = RealisticBenchmark.class.getResourceAsStream("realistic-cases.json")) {
            if (in == null) {
                throw new IllegalStateException("realistic-cases.json is missing from the class path");
            }
            Map<String, Case> cases = new LinkedHashMap<>();
            for (JsonNode c : new ObjectMapper().readTree(in).get("cases")) {
                String mode = c.get("mode").asText();
                if (!mode.equals("train") && !mode.equals("infer")) {
                    throw new IllegalStateException("case " + c.get("name") + ": mode must be train or infer");
                }
                Case k = new Case(c.get("name").asText(), c.get("what").asText(), mode.equals("train"),
                        c.get("batch").asInt(), ModelConfig.fromJson(c.get("config").toString()));
                cases.put(k.name(), k);
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs one case and returns its JSON line. */
    public static String run(Case c) {
        ModelConfig cfg = c.config();
        SegmentationModel model = SegmentationModels.create(cfg, Training.defaults().withSeed(0));
        long parameters = model.parameterCount();
        Nd4j.getRandom().setSeed(0);
        INDArray x = Nd4j.rand(DataType.FLOAT, c.batch(), cfg.inChannels(), cfg.inputHeight(), cfg.inputWidth());
        Runnable step;
        if (c.train()) {
            INDArray y = Nd4j.rand(DataType.FLOAT, c.batch(), 1, cfg.inputHeight(), cfg.inputWidth())
                    .muli(cfg.numClasses()).castTo(DataType.INT32).castTo(DataType.FLOAT);
            step = () -> model.fit(x, y);
        } else {
            // As segnet predict loads a model: folded, the unfolded parameters freed.
            SegmentationModel inference = model.toInference();
            step = () -> inference.recycle(inference.logits(x));
        }
        Timings t = Timings.measure(step, PLAN);
        return String.format(Locale.ROOT, "{\"case\": \"%s\", \"what\": \"%s\", \"parameters\": %d,"
                        + " \"ms_median\": %.2f, \"ms_min\": %.2f, \"ms_max\": %.2f, \"runs\": %d, \"vm_hwm_mb\": %s}",
                c.name(), c.what(), parameters, t.median(), t.min(), t.max(), t.runs(), peakResidentMb());
    }

    /** This process's resident-set high-water mark in MB ({@link NativeHeap#peakResidentBytes()}), or -1. */
    static String peakResidentMb() {
        long bytes = NativeHeap.peakResidentBytes();
        return bytes < 0 ? "-1" : String.format(Locale.ROOT, "%.1f", bytes / (1024.0 * 1024.0));
    }

    /** {@code RealisticBenchmark CASE [CASE ...]}; without a case, lists them. */
    public static void main(String[] args) {
        Map<String, Case> cases = cases();
        if (args.length == 0) {
            cases.values().forEach(c -> System.out.println(c.name() + "  " + c.what()));
            return;
        }
        List<Case> chosen = new ArrayList<>();
        for (String a : args) {
            Case c = cases.get(a);
            if (c == null) {
                throw new IllegalArgumentException("unknown case '" + a + "'; known: "
                        + String.join(" ", cases.keySet()));
            }
            chosen.add(c);
        }
        for (Case c : chosen) {
            System.out.println(run(c));
        }
    }
}
