package io.segnet.cli;

import io.segnet.data.DataProblem;
import io.segnet.inference.FolderPrediction;
import io.segnet.inference.OutputFolder;
import io.segnet.inference.OutputFolderException;
import io.segnet.inference.Predictor;
import io.segnet.inference.UnreadableImagesException;
import io.segnet.inference.render.Overlay;
import io.segnet.inference.render.Palette;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code segnet predict}: class maps, colour masks and overlays of one image or a folder. */
@Command(header = "Predict class maps, colour masks and overlays of images.",
        name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Predict the class map of one image or of every image in a folder, with optional sliding"
                + " window (--tile) and test-time augmentation (--flip, --scales). Writes masks/ (class ids),"
                + " color/ (palette PNGs) and overlay/ (image blended with the mask, with a legend) under the output"
                + " folder, each with a " + OutputFolder.MARKER + " file listing what predict wrote there."
                + " predict never writes into or around the input folder and never replaces a file it did not"
                + " write; it reads every image before writing anything."},
        footer = {"", "Examples:", "  segnet predict --model runs/train/best.zip --input photos/ --output preds/",
                "  segnet predict --model best.zip --input big.png --output out/ --tile 256x256 --flip"})
public final class PredictCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    PredictorOptions predictor;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", required = true, description = "The saved model.")
    Path model;

    @Option(names = {"-i", "--input"}, paramLabel = "PATH", required = true, description = "An image file or a folder"
            + " of images (PNG, JPEG, BMP, TIFF).")
    Path input;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", required = true, description = "Output folder: new, empty,"
            + " or one an earlier predict run wrote; not the input folder, nor around or inside it.")
    Path output;

    @Option(names = "--outputs", paramLabel = "KIND", split = ",", defaultValue = "index,color,overlay",
            description = "Which files to write: index, color, overlay (default ${DEFAULT-VALUE}).")
    List<String> outputs;

    @Option(names = "--alpha", paramLabel = "A", defaultValue = "0.5", description = "Overlay colour weight"
            + " (default ${DEFAULT-VALUE}).")
    double alpha;

    @Option(names = "--background-class", paramLabel = "K", description = "Class left uncoloured (transparent) in"
            + " overlays and out of their legend, e.g. 10 for M2NIST; -1 for none (default: the class named"
            + " background, bg, void or unlabelled, if the model has one).")
    Integer backgroundClass;

    @Option(names = "--overwrite", description = "Replace output files an earlier predict run wrote (listed in the"
            + " " + OutputFolder.MARKER + " file of each output sub-folder); other files are never replaced.")
    boolean overwrite;

    @Option(names = "--skip-bad", description = "Predict the readable images when some cannot be read, and list the"
            + " skipped ones (default: write nothing and list them).")
    boolean skipBad;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2", description = "Worker threads (default"
            + " ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        predictor.config(); // the predictor flags are checked before the model is read
        Set<FolderPrediction.Output> kinds = EnumSet.noneOf(FolderPrediction.Output.class);
        Overlay.Style style;
        try {
            for (String o : outputs) {
                kinds.add(FolderPrediction.Output.parse(o));
            }
            style = new Overlay.Style(alpha, 256, backgroundClass == null ? -1 : backgroundClass);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
        LoadedModel m = LoadedModel.load(model, spec.commandLine().getErr());
        Predictor p = predictor.predictor(m.model(), m.preprocessing());
        int classes = m.classNames().size();
        if (backgroundClass == null) {
            int named = namedBackground(m.classNames());
            if (named >= 0) {
                style = new Overlay.Style(alpha, 256, named);
            }
        }
        FolderPrediction.Options options = new FolderPrediction.Options(kinds, Palette.readable(classes),
                m.classNames(), style, overwrite, skipBad, threads);
        FolderPrediction.Summary s;
        try {
            s = FolderPrediction.run(p, input, output, options);
        } catch (OutputFolderException e) {
            throw new UsageException(e.getMessage(), e);
        } catch (UnreadableImagesException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("predict: error: " + e.getMessage());
            err.flush();
            return CommandLine.ExitCode.SOFTWARE;
        }
        out.printf(Locale.ROOT, "predicted %d image%s in %.1f s (%.1f images/s); wrote %d files under %s%n",
                s.images(), s.images() == 1 ? "" : "s", s.seconds(), s.images() / Math.max(1e-9, s.seconds()),
                s.files(), output);
        if (!s.skipped().isEmpty()) {
            out.printf(Locale.ROOT, "skipped %d unreadable image%s (--skip-bad):%n", s.skipped().size(),
                    s.skipped().size() == 1 ? "" : "s");
            for (DataProblem d : s.skipped()) {
                out.println("  - " + d.file() + ": " + d.problem());
            }
        }
        out.flush();
        return 0;
    }

    /** The index of the class named background, bg, void or unlabelled (any case), or -1. */
    static int namedBackground(java.util.List<String> classNames) {
        return Overlay.namedBackground(classNames);
    }
}
