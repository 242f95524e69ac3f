package io.segnet.examples;

import com.fasterxml.jackson.databind.JsonNode;
import io.segnet.common.json.JsonMappers;
import io.segnet.data.dataset.InMemorySource;
import io.segnet.data.dataset.Split;
import io.segnet.data.m2nist.M2nistGenerator;
import io.segnet.data.m2nist.M2nistQuickstartData;
import io.segnet.data.transform.PadToMultiple;
import io.segnet.inference.Preprocessing;
import io.segnet.models.LossConfig;
import io.segnet.models.ModelConfig;
import io.segnet.models.ModelSummary;
import io.segnet.models.SegmentationModels;
import io.segnet.models.Upsampling;
import io.segnet.models.deeplab.DeepLabV3PlusConfig;
import io.segnet.models.encoder.ResNetConfig;
import io.segnet.models.encoder.SmallEncoderConfig;
import io.segnet.models.encoder.Vgg16Config;
import io.segnet.models.fcn.FcnConfig;
import io.segnet.models.fcn.FcnVariant;
import io.segnet.models.pspnet.PSPNetConfig;
import io.segnet.models.segnet.SegNetConfig;
import io.segnet.models.unet.UNetConfig;
import io.segnet.models.unetplusplus.UNetPlusPlusConfig;
import io.segnet.train.OptimizerType;
import io.segnet.train.Trainer;
import io.segnet.train.TrainerConfig;
import io.segnet.train.TrainingData;
import io.segnet.train.TrainingResult;
import io.segnet.train.checkpoint.RunDirectory;
import io.segnet.train.schedule.ScheduleConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The model table of {@code docs/models.md}: every architecture of segnet-models, sized for M2NIST on a CPU
 * (64x84 images padded to the model's multiple, 1 channel, 11 classes), with its parameters and FLOPs, trained with
 * one fixed recipe on the quickstart's data, and measured: validation mean IoU and pixel accuracy on the 1000
 * held-out images, and training speed.
 *
 * <p>The recipe, the same for every model: M2NIST seed 42 (4000 training, 1000 validation images), batch 16,
 * {@code epochs} epochs (default 2), Adam at {@code 3e-3} with 50 warm-up iterations and poly decay, cross-entropy
 * plus Dice, best checkpoint by mean IoU. Encoders are narrowed (VGG16 and ResNet at base width 16 instead of 64) so
 * that each model trains in minutes on 2 cores; the architectures (layer sequence, skips, heads) are the papers'.
 *
 * <pre>java -cp segnet-cli/target/segnet.jar io.segnet.examples.ModelTable [--epochs N] [--summary-only]
 *     [--only NAME[,NAME...]] [--standard] [output-folder]</pre>
 * ({@code --standard}: only the parameters and FLOPs of the full-width models, 3 -> 21 classes at 512x512.)
 * Prints a Markdown table (and, per model, the epoch lines); the runs go to {@code output-folder} (default
 * {@code runs/model-table}, replaced).
 */
public final class ModelTable {
    private static final int HEIGHT = 64;
    private static final int WIDTH = 84;
    private static final int CLASSES = M2nistGenerator.NUM_CLASSES;

    private ModelTable() {
    }

    /** One row's model: a name for the table, what it is, and its config for an {@code h x w} input. */
    public record Entry(String name, String description, ModelConfig config) {
    }

    /** The models of the table, in order, for M2NIST-sized inputs padded to each model's multiple. */
    public static List<Entry> entries() {
        LossConfig loss = LossConfig.crossEntropyDice(1, 1);
        List<Entry> out = new ArrayList<>();
        Vgg16Config vgg = new Vgg16Config(16, true);
        PadToMultiple by8 = PadToMultiple.of(8), by32 = PadToMultiple.of(32);
        for (FcnVariant v : FcnVariant.values()) {
            int h = by32.paddedSize(HEIGHT), w = by32.paddedSize(WIDTH);
            String name = switch (v) {
                case FCN_32S -> "FCN-32s";
                case FCN_16S -> "FCN-16s";
                case FCN_8S -> "FCN-8s";
            };
            out.add(new Entry(name, "VGG16-BN (width 16), fc6 3x3/256, fc7 256, bilinear-initialised transposed"
                    + " upsampling", new FcnConfig(1, CLASSES, h, w, vgg, v, Upsampling.TRANSPOSED, 256, 3, 256,
                    loss)));
        }
        out.add(new Entry("U-Net", "small encoder width 16, 3 poolings, BN, transposed upsampling",
                new UNetConfig(1, CLASSES, by8.paddedSize(HEIGHT), by8.paddedSize(WIDTH),
                        new SmallEncoderConfig(16, 3, true), Upsampling.TRANSPOSED, true, List.of(), loss)));
        out.add(new Entry("UNet++", "small encoder width 16, 3 poolings, BN, deep supervision",
                new UNetPlusPlusConfig(1, CLASSES, by8.paddedSize(HEIGHT), by8.paddedSize(WIDTH),
                        new SmallEncoderConfig(16, 3, true), Upsampling.TRANSPOSED, true, true, 0, List.of(), loss)));
        out.add(new Entry("SegNet", "VGG16-BN encoder (width 16), max-unpooling decoder",
                new SegNetConfig(1, CLASSES, by32.paddedSize(HEIGHT), by32.paddedSize(WIDTH), vgg, true, loss)));
        out.add(new Entry("PSPNet", "ResNet-18 (width 16) dilated to output stride 8, pyramid pooling 1/2/3/6,"
                + " auxiliary head 0.4", new PSPNetConfig(1, CLASSES, HEIGHT, WIDTH,
                new ResNetConfig(18, 8, 16, ResNetConfig.Dilation.TORCHVISION), PSPNetConfig.DEFAULT_BINS, 32, 128,
                true, 64, 0.4, loss)));
        out.add(new Entry("DeepLabv3+", "ResNet-18 (width 16) at output stride 16, ASPP 64 rates 6/12/18,"
                + " separable", new DeepLabV3PlusConfig(1, CLASSES, HEIGHT, WIDTH,
                new ResNetConfig(18, 16, 16, ResNetConfig.Dilation.TORCHVISION), 64, List.of(6, 12, 18), true, 24,
                64, loss)));
        return out;
    }

    /** One measured row. */
    public record Row(Entry entry, ModelSummary summary, double meanIoU, double pixelAccuracy, double imagesPerSecond,
                      double trainSeconds) {
    }

    /** Trains and measures the entries named in {@code only} (all if empty), printing progress to {@code out}. */
    public static List<Row> run(Path output, int epochs, boolean summaryOnly, Set<String> only, PrintStream out)
            throws IOException {
        Split<M2nistGenerator> split = summaryOnly ? null : M2nistGenerator.split(42, 4000, 1000);
        InMemorySource train = summaryOnly ? null : InMemorySource.load(split.train(), 2);
        InMemorySource validation = summaryOnly ? null : InMemorySource.load(split.validation(), 2);
        List<Row> rows = new ArrayList<>();
        for (Entry e : entries()) {
            if (!only.isEmpty() && !only.contains(e.name())) {
                continue;
            }
            ModelSummary summary = SegmentationModels.create(e.config()).summary();
            if (summaryOnly) {
                rows.add(new Row(e, summary, Double.NaN, Double.NaN, Double.NaN, Double.NaN));
                continue;
            }
            out.printf(Locale.ROOT, "%s: %s, %s parameters, %.2f GFLOPs per image%n", e.name(), e.description(),
                    summary.parameters(), summary.flops() / 1e9);
            int multiple = e.config().inputSizeRule().multiple();
            TrainingData data = TrainingData.of(train, PadToMultiple.of(multiple), validation,
                            Preprocessing.normalize(M2nistQuickstartData.MEAN, M2nistQuickstartData.STD))
                    .describedAs("m2nist seed=42 train=4000 validation=1000", Map.of("type", "m2nist"));
            int total = epochs * (4000 / 16);
            TrainerConfig config = TrainerConfig.defaults().withEpochs(epochs).withBatchSize(16)
                    .withOptimizer(OptimizerType.ADAM, 3e-3)
                    .withSchedule(ScheduleConfig.poly().withWarmup(Math.min(50, total / 10), 0.1)).withSeed(42)
                    .withReporting(false, 10);
            RunDirectory run = RunDirectory.create(output.resolve(e.name().replace('+', 'p')), true, Set.of());
            TrainingResult r = new Trainer(config).train(e.config(), data, run);
            double ips = lastImagesPerSecond(run.resolve("metrics.jsonl"));
            Map<String, Double> best = bestValidation(run.resolve("metrics.jsonl"));
            rows.add(new Row(e, summary, best.getOrDefault("meanIoU", Double.NaN),
                    best.getOrDefault("pixelAccuracy", Double.NaN), ips, r.trainSeconds()));
        }
        return rows;
    }

    /** The table in Markdown. */
    public static String markdown(List<Row> rows, int epochs) {
        StringBuilder b = new StringBuilder();
        b.append("| model | configuration | parameters | GFLOPs / image | M2NIST mIoU | pixel accuracy |"
                + " training img/s |\n");
        b.append("|---|---|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %.3f | %s | %s | %s |%n", r.entry().name(),
                    r.entry().description(), String.format(Locale.ROOT, "%,d", r.summary().parameters()),
                    r.summary().flops() / 1e9, fmt(r.meanIoU(), "%.4f"), fmt(r.pixelAccuracy(), "%.4f"),
                    fmt(r.imagesPerSecond(), "%.1f")));
        }
        b.append(String.format(Locale.ROOT, "%nmIoU and pixel accuracy: best of %d epochs on the 1000 held-out"
                + " M2NIST images; img/s: the last epoch's training throughput (batch 16, 2 cores).%n", epochs));
        return b.toString();
    }

    /**
     * Parameters and FLOPs of every named model ({@link SegmentationModels#names()}) in its standard, full-width
     * configuration for {@code 3 -> classes} at {@code size x size}, as a Markdown table.
     */
    public static String standardTable(int classes, int size) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "| name | architecture | parameters |"
                + " GFLOPs at %dx%d |%n|---|---|---:|---:|%n", size, size));
        for (String name : SegmentationModels.names()) {
            ModelConfig config = SegmentationModels.config(name, 3, classes, size, size);
            ModelSummary summary = SegmentationModels.create(config).summary();
            b.append(String.format(Locale.ROOT, "| `%s` | %s | %,d | %.1f |%n", name, summary.architecture(),
                    summary.parameters(), summary.flops() / 1e9));
        }
        return b.toString();
    }

    private static String fmt(double v, String format) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, format, v);
    }

    private static double lastImagesPerSecond(Path log) throws IOException {
        double ips = Double.NaN;
        for (JsonNode n : epochRecords(log)) {
            ips = n.path("imagesPerSecond").asDouble(Double.NaN);
        }
        return ips;
    }

    private static Map<String, Double> bestValidation(Path log) throws IOException {
        Map<String, Double> best = new LinkedHashMap<>();
        for (JsonNode n : epochRecords(log)) {
            JsonNode v = n.path("validation");
            double miou = v.path("meanIoU").asDouble(Double.NaN);
            if (best.isEmpty() || miou > best.get("meanIoU")) {
                best.put("meanIoU", miou);
                best.put("pixelAccuracy", v.path("pixelAccuracy").asDouble(Double.NaN));
            }
        }
        return best;
    }

    private static List<JsonNode> epochRecords(Path log) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            JsonNode n = JsonMappers.JSON.readTree(line);
            if ("epoch".equals(n.path("type").asText())) {
                out.add(n);
            }
        }
        return out;
    }

    /** {@code ModelTable [--epochs N] [--summary-only] [--only NAME[,NAME...]] [--standard] [output-folder]}. */
    public static void main(String[] args) throws IOException {
        Path output = Path.of("runs", "model-table");
        int epochs = 2;
        boolean summaryOnly = false;
        boolean standard = false;
        Set<String> only = Set.of();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "--summary-only" -> summaryOnly = true;
                case "--standard" -> standard = true;
                case "--only" -> only = Set.of(args[++i].split(","));
                default -> output = Path.of(args[i]);
            }
        }
        if (standard) {
            System.out.println(standardTable(21, 512));
            System.out.flush();
            System.exit(0);
        }
        List<Row> rows = run(output, epochs, summaryOnly, only, System.out);
        System.out.println();
        System.out.println(markdown(rows, epochs));
        System.out.flush();
        System.exit(0);
    }
}
