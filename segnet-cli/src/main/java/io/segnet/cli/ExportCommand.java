package io.segnet.cli;

import io.segnet.common.json.JsonMappers;
import io.segnet.inference.Preprocessing;
import io.segnet.models.io.CorruptModelFileException;
import io.segnet.onnx.OnnxExport;
import io.segnet.onnx.OnnxExportOptions;
import io.segnet.train.checkpoint.Checkpoint;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code segnet export}: writes a saved model in a form for deployment. Format {@code segnet} (the default): the
 * weights, config, model card and preprocessing of a checkpoint without its optimiser state, a third of the
 * checkpoint's size with Adam; it predicts and evaluates exactly like the checkpoint. Format {@code onnx}: the
 * inference graph as ONNX opset 17 ({@link OnnxExport}), with the class names and preprocessing in its metadata.
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Write a saved model for deployment: segnet's own format or ONNX.",
        description = {"Export a checkpoint (best.zip, last.zip) for inference: --format segnet writes its weights,"
                + " config, model card and preprocessing without the optimiser state that only resuming needs (with"
                + " Adam, two thirds of a checkpoint). The export predicts and evaluates exactly like the checkpoint"
                + " and can start a new run with --init; it cannot --resume one.",
                "--format onnx writes the inference graph as ONNX (opset 17) for ONNX Runtime, TensorRT or OpenVINO:"
                + " input 'images' FLOAT [batch, channels, height, width], normalised as the model was trained"
                + " (the file's metadata 'segnet.preprocessing' says how), output 'logits' [batch, classes, height,"
                + " width] and with --class-map 'classes' INT64 [batch, 1, height, width]. Batch, height and width are"
                + " dynamic unless --fixed-size is given; batch norm is folded into the convolutions. See"
                + " docs/onnx.md."},
        footer = {"", "Examples:", "  segnet export --model runs/train/best.zip --output model.zip",
                "  segnet export --format onnx --model runs/train/best.zip --output model.onnx --class-map"})
public final class ExportCommand implements Callable<Integer> {

    /** The formats {@code --format} accepts. */
    enum Format {
        /** segnet's own model zip, without optimiser state. */
        segnet,
        /** ONNX, opset 17. */
        onnx
    }

    @Mixin
    CommonOptions common;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", required = true,
            description = "The saved model or checkpoint to export.")
    Path model;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true, description = "The file to write.")
    Path output;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "segnet",
            description = "Output format: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--overwrite", description = "Replace an existing output file.")
    boolean overwrite;

    @Option(names = "--class-map", description = "onnx: add the output 'classes', the arg-max class per pixel.")
    boolean classMap;

    @Option(names = "--no-fold-batch-norm", description = "onnx: write batch norms as BatchNormalization instead of"
            + " folding them into the convolutions before them.")
    boolean noFold;

    @Option(names = "--fixed-size", paramLabel = "HxW", description = "onnx: fix the input height and width (the"
            + " batch stays dynamic); by default they are dynamic.")
    String fixedSize;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (format != Format.onnx && (classMap || noFold || fixedSize != null)) {
            throw new UsageException("--class-map, --no-fold-batch-norm and --fixed-size are for --format onnx");
        }
        OnnxExportOptions options = onnxOptions(); // checks --fixed-size before anything is read
        if (!Files.isRegularFile(model)) {
            throw new NoSuchFileException(model.toString(), null, "no model file there (a run writes best.zip and"
                    + " last.zip into its run folder)");
        }
        if (Files.exists(output) && Files.isSameFile(model, output)) {
            throw new UsageException("--output " + output + " is the --model file itself; export to another file");
        }
        if (Files.isDirectory(output)) {
            throw new UsageException("--output " + output + " is a folder; name the file to write, e.g. --output "
                    + output.resolve(format == Format.onnx ? "model.onnx" : "model.zip"));
        }
        if (Files.exists(output) && !overwrite) {
            throw new FileAlreadyExistsException(output.toString(), null, "exists; choose another --output, or add"
                    + " --overwrite to replace it");
        }
        Checkpoint.Contents c;
        try {
            c = Checkpoint.loadForInference(model);
        } catch (CorruptModelFileException e) {
            throw LoadedModel.withAlternative(e, "--model");
        }
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (format == Format.onnx) {
            return exportOnnx(c, options, out);
        }
        Checkpoint.export(output, overwrite, c.model(), c.metadata());
        long before = Files.size(model);
        long after = Files.size(output);
        out.printf(Locale.ROOT, "exported %s -> %s (%s, %.1f MB -> %.1f MB: %s)%n", model, output, format,
                before / 1e6, after / 1e6, Checkpoint.hasOptimizerState(model) ? "without the optimiser state"
                        : "the source had no optimiser state");
        out.flush();
        return 0;
    }

    private OnnxExportOptions onnxOptions() {
        OnnxExportOptions o = OnnxExportOptions.defaults().withClassMap(classMap).withFoldBatchNorm(!noFold);
        if (fixedSize == null) {
            return o;
        }
        int[] hw = PredictorOptions.size(fixedSize, "--fixed-size");
        return o.withFixedSize(hw[0], hw[1]);
    }

    private int exportOnnx(Checkpoint.Contents c, OnnxExportOptions options, PrintWriter out) throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        c.metadata().ifPresent(m -> {
            metadata.put("segnet.class_names", JsonMappers.write(m.classNames()));
            metadata.put("segnet.preprocessing", JsonMappers.write(m.preprocessing()));
        });
        OnnxExport.Result r;
        try {
            r = OnnxExport.write(c.model(), output, options, metadata, overwrite);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage().replace("ONNX export at a fixed size", "--fixed-size"));
        }
        var config = c.model().config();
        out.printf(Locale.ROOT, "exported %s -> %s (ONNX opset %d, %d nodes, %d batch norms folded, %.1f MB)%n", model,
                output, OnnxExport.OPSET, r.model().getGraph().getNodeCount(), r.foldedBatchNorms(),
                Files.size(output) / 1e6);
        String size = options.fixedSize() ? options.height() + ", " + options.width() : "height, width";
        out.printf(Locale.ROOT, "  input  'images' FLOAT [batch, %d, %s]%n", config.inChannels(), size);
        out.printf(Locale.ROOT, "  output 'logits' FLOAT [batch, %d, %s]%s%n", config.numClasses(), size,
                options.classMap() ? "; 'classes' INT64 [batch, 1, " + size + "]" : "");
        c.metadata().ifPresentOrElse(m -> {
            out.println("  preprocessing: " + describe(m.preprocessing()));
        }, () -> out.println("  preprocessing: not recorded (the file is not a training checkpoint); feed the model what"
                + " it was trained on"));
        return 0;
    }

    /** What a user must do to images before the ONNX model, in words. */
    static String describe(Preprocessing p) {
        StringBuilder s = new StringBuilder("pixel values in [0, 1] (8-bit: / 255, 16-bit: / 65535)");
        if (!p.mean().isEmpty()) {
            s.append(", then (x - ").append(p.mean()).append(") / ").append(p.std()).append(" per channel");
        }
        if (p.scale() != null) {
            s.append("; the model was trained on images scaled by ").append(p.scale())
                    .append(": scale them the same and the logits back (segnet predict does)");
        }
        if (p.resize() != null) {
            s.append("; the model was trained on images resized to ").append(p.resize().get(0)).append("x")
                    .append(p.resize().get(1)).append(": resize them the same and the logits back (segnet predict"
                            + " does)");
        }
        return s.toString();
    }
}
