package io.segnet.cli;

import io.segnet.common.io.AtomicFiles;
import io.segnet.data.dataset.Split;
import io.segnet.data.m2nist.M2nistGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code segnet generate-m2nist}: M2NIST as PNG files, generated from the bundled MNIST digits. */
@Command(header = "Write M2NIST as PNG files, generated from the bundled MNIST digits.",
        name = "generate-m2nist", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate M2NIST (64x84 images holding 1-3 MNIST digits, 11 classes: digits 0-9 and"
                + " background 10) from the bundled MNIST test digits, reproducibly from a seed, as PNG files:"
                + " DIR/train/image, DIR/train/mask, DIR/validation/image, DIR/validation/mask (masks hold class"
                + " ids), and DIR/classes.txt. Training and validation images use disjoint digits."},
        footer = {"", "Example:", "  segnet generate-m2nist --output data/m2nist --train 4000 --validation 1000"})
public final class GenerateM2nistCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", required = true, description = "Output folder; its"
            + " train/ and validation/ sub-folders must not hold files yet.")
    Path output;

    @Option(names = "--train", paramLabel = "N", defaultValue = "4000", description = "Training images (default"
            + " ${DEFAULT-VALUE}).")
    int train;

    @Option(names = "--validation", paramLabel = "N", defaultValue = "1000", description = "Validation images"
            + " (default ${DEFAULT-VALUE}).")
    int validation;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws IOException {
        if (train < 1 || validation < 0) {
            throw new UsageException("--train must be >= 1 and --validation >= 0, got " + train + " and "
                    + validation);
        }
        PrintWriter out = spec.commandLine().getOut();
        long start = System.nanoTime();
        Split<M2nistGenerator> split = M2nistGenerator.split(seed, train, Math.max(1, validation));
        split.train().writePngs(output.resolve("train"));
        if (validation > 0) {
            split.validation().writePngs(output.resolve("validation"));
        }
        Path classes = output.resolve("classes.txt");
        if (!Files.exists(classes)) {
            AtomicFiles.writeString(classes, false, String.join("\n", M2nistGenerator.CLASS_NAMES) + "\n");
        }
        out.printf(Locale.ROOT, "wrote %d training and %d validation images (seed %d) to %s in %.1f s%n", train,
                validation, seed, output, (System.nanoTime() - start) / 1e9);
        out.println("train on them with: segnet train --data folder --images " + output.resolve("train/image")
                + " --masks " + output.resolve("train/mask") + " --val-images " + output.resolve("validation/image")
                + " --val-masks " + output.resolve("validation/mask") + " --num-classes 11 --class-names "
                + String.join(",", M2nistGenerator.CLASS_NAMES));
        out.flush();
        return 0;
    }
}
