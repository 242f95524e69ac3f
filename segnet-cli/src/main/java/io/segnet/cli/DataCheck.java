package io.segnet.cli;

import io.segnet.data.dataset.DatasetConfig;
import io.segnet.data.dataset.SegmentationDataset;
import io.segnet.data.dataset.ValidationReport;
import io.segnet.data.io.MaskFormat;
import io.segnet.data.source.FolderSource;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks of {@code segnet validate-data}, run by {@code train} and {@code evaluate} on folder data before
 * anything is written or trained: every problem of the training and validation folders is printed at once, and
 * binary masks stored as 0/255 without {@code --mask-format binary255} (whose foreground would be ignored as the
 * ignore value 255) are refused.
 */
final class DataCheck {

    private DataCheck() {
    }

    /**
     * Checks the folders of {@code data} (nothing for generated data sets) and prints every problem to {@code err};
     * data without problems gets its {@link #warnings} printed there instead ({@code training}: also say when there
     * is no validation data).
     *
     * @throws DataRefusedException if there is any problem (the data set would fail or train on wrong labels)
     */
    static void require(DataSpec data, PrintWriter err, boolean training) {
        if (!(data.source() instanceof FolderSource folder)) {
            return;
        }
        DatasetConfig config;
        try {
            config = folder.datasetConfig();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
        List<ValidationReport> reports = new ArrayList<>();
        reports.add(SegmentationDataset.validate(Path.of(folder.images()), Path.of(folder.masks()), config));
        if (folder.validationImages() != null && folder.validationMasks() != null) {
            reports.add(SegmentationDataset.validate(Path.of(folder.validationImages()),
                    Path.of(folder.validationMasks()), config));
        }
        int problems = 0;
        boolean binary255 = false;
        for (ValidationReport r : reports) {
            problems += r.problems().size();
            binary255 |= looksBinary255(r, folder);
        }
        if (problems == 0 && !binary255) {
            for (String w : warnings(reports, folder, training)) {
                err.println("warning: " + w);
            }
            err.flush();
            return;
        }
        reports.forEach(err::print);
        if (problems == 0) {
            err.flush();
            throw new DataRefusedException("every mask pixel is 0 or the ignore value 255, so all foreground pixels"
                    + " would be ignored: training would learn, and scores would count, background only; for binary masks stored as"
                    + " 0/255 give --mask-format binary255 (YAML data.maskFormat: binary255)");
        }
        err.flush();
        throw new DataRefusedException("the data set has " + problems + (problems == 1 ? " problem" : " problems")
                + " (listed above); nothing was trained or written (segnet validate-data shows them again)");
    }

    /**
     * What looks wrong in data that has no problems, said before training: each report's own warnings (a class in no
     * mask, a class under 0.01% of the pixels), classes of the training masks missing from the validation masks, and
     * training without any validation data.
     */
    static List<String> warnings(List<ValidationReport> reports, FolderSource folder, boolean training) {
        List<String> warnings = new ArrayList<>();
        for (ValidationReport r : reports) {
            for (String w : r.warnings()) {
                warnings.add((reports.size() > 1 ? r.dataset() + ": " : "") + w);
            }
        }
        if (reports.size() > 1) {
            long[] train = reports.get(0).classPixels();
            long[] validation = reports.get(1).classPixels();
            List<String> missing = new ArrayList<>();
            for (int k = 0; k < Math.min(train.length, validation.length); k++) {
                if (train[k] > 0 && validation[k] == 0) {
                    missing.add(k + " '" + reports.get(0).classNames().get(k) + "'");
                }
            }
            if (!missing.isEmpty()) {
                warnings.add("the validation masks lack class" + (missing.size() == 1 ? " " : "es ")
                        + String.join(", ", missing) + ", present in training: validation cannot score "
                        + (missing.size() == 1 ? "it" : "them") + " (their IoU is left out of the mean), so best.zip"
                        + " is chosen without " + (missing.size() == 1 ? "it" : "them"));
            }
        }
        if (training && folder.validationImages() == null && folder.validationFraction() == 0
                && folder.validationCount() == 0) {
            warnings.add("no validation data: no best.zip will be written and --patience cannot stop early; give"
                    + " --val-images and --val-masks, or hold out a share with --val-fraction 0.1 (YAML"
                    + " data.validationFraction)");
        }
        return warnings;
    }

    /**
     * Index masks read with ignore value 255 whose only non-ignored class is 0 while some pixels are 255: 0/255
     * binary masks given without {@code binary255}.
     */
    private static boolean looksBinary255(ValidationReport r, FolderSource folder) {
        if (folder.maskFormat() != MaskFormat.Preset.INDEX || folder.ignoreValue() != 255 || r.ignoredPixels() == 0) {
            return false;
        }
        long[] pixels = r.classPixels();
        for (int k = 1; k < pixels.length; k++) {
            if (pixels[k] > 0) {
                return false;
            }
        }
        return true;
    }

    /** The data set was refused (its problems already printed). */
    static final class DataRefusedException extends RuntimeException {
        DataRefusedException(String message) {
            super(message);
        }
    }
}
