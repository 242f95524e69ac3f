package io.segnet.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code segnet quickstart}: the README's first command; see {@link M2nistQuickstart}. */
@Command(header = "Generate M2NIST, train, evaluate and write results: the first thing to run.",
        name = "quickstart", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate M2NIST from the bundled MNIST digits (no download), train a small U-Net (a few"
                + " minutes on 2 CPU cores), evaluate it on held-out images, print the metric table, and write the"
                + " checkpoints, training curve, metrics.json, report.md, confusion matrix, predictions and overlays"
                + " to the output folder."},
        footer = {"", "Example:", "  java -jar segnet-cli/target/segnet.jar quickstart"})
public final class QuickstartCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = "runs/quickstart",
            description = "Output folder (default ${DEFAULT-VALUE}); must be new or empty unless --overwrite.")
    Path output;

    @Option(names = "--overwrite", description = "Replace a previous quickstart's files in the output folder.")
    boolean overwrite;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed of data, initialisation"
            + " and training order (default ${DEFAULT-VALUE}); the same seed gives the same metrics.")
    long seed;

    @Option(names = "--epochs", paramLabel = "N", description = "Training epochs (default 3).")
    Integer epochs;

    @Option(names = "--train", paramLabel = "N", description = "Training images (default 12000).")
    Integer train;

    @Option(names = "--validation", paramLabel = "N", description = "Held-out images (default 1000).")
    Integer validation;

    @Option(names = "--progress", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Progress bar on a terminal (default on).")
    boolean progress;

    @Override
    public Integer call() throws IOException {
        M2nistQuickstart.Options d = M2nistQuickstart.Options.defaults(output);
        M2nistQuickstart.Options o;
        try {
            o = new M2nistQuickstart.Options(output, overwrite, seed, train == null ? d.train() : train,
                    validation == null ? d.validation() : validation, epochs == null ? d.epochs() : epochs,
                    d.batchSize(), d.learningRate(), d.samples(), progress);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
        try {
            io.segnet.train.checkpoint.RunDirectory.create(output, overwrite, M2nistQuickstart.OUTPUTS);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
        M2nistQuickstart.run(o, System.out);
        System.out.flush();
        return 0;
    }
}
