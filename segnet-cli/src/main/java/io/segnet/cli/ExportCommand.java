package io.segnet.cli;

import io.segnet.models.io.CorruptModelFileException;
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
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code segnet export}: writes a saved model in a form for deployment. Format {@code segnet} (the default): the
 * weights, config, model card and preprocessing of a checkpoint without its optimiser state, a third of the
 * checkpoint's size with Adam; it predicts and evaluates exactly like the checkpoint.
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Write a saved model for deployment (without the optimiser state).",
        description = {"Export a checkpoint (best.zip, last.zip) for inference: --format segnet writes its weights,"
                + " config, model card and preprocessing without the optimiser state that only resuming needs (with"
                + " Adam, two thirds of a checkpoint). The export predicts and evaluates exactly like the checkpoint"
                + " and can start a new run with --init; it cannot --resume one."},
        footer = {"", "Example:", "  segnet export --model runs/train/best.zip --output model.zip"})
public final class ExportCommand implements Callable<Integer> {

    /** The formats {@code --format} accepts. */
    enum Format {
        /** segnet's own model zip, without optimiser state. */
        segnet
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

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (!Files.isRegularFile(model)) {
            throw new NoSuchFileException(model.toString(), null, "no model file there (a run writes best.zip and"
                    + " last.zip into its run folder)");
        }
        if (Files.exists(output) && Files.isSameFile(model, output)) {
            throw new UsageException("--output " + output + " is the --model file itself; export to another file");
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
        Checkpoint.export(output, overwrite, c.model(), c.metadata());
        long before = Files.size(model);
        long after = Files.size(output);
        out.printf(Locale.ROOT, "exported %s -> %s (%s, %.1f MB -> %.1f MB: %s)%n", model, output, format,
                before / 1e6, after / 1e6, Checkpoint.hasOptimizerState(model) ? "without the optimiser state"
                        : "the source had no optimiser state");
        out.flush();
        return 0;
    }
}
