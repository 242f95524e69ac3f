package io.segnet.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segnet.data.dataset.DatasetConfig;
import io.segnet.data.dataset.SegmentationDataset;
import io.segnet.data.dataset.ValidationReport;
import io.segnet.data.source.FolderSource;
import io.segnet.train.ConfigFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code segnet validate-data}: every problem of a folder data set, found in one pass. */
@Command(header = "Check a folder data set for every problem at once.",
        name = "validate-data", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Check a folder data set before training: missing or empty folders, images without masks"
                + " (and masks without images), duplicate names, unreadable files, image/mask size mismatches, mask"
                + " values that are no class, mixed channel counts; and show the share of each class. Exits 0 when"
                + " no problem is found, 1 otherwise."},
        footer = {"", "Examples:",
                "  segnet validate-data --images data/membrane/train/image --masks data/membrane/train/label"
                        + " --num-classes 2 --mask-format binary255",
                "  segnet validate-data --config run.yaml"})
public final class ValidateDataCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Settings file with a data section of"
            + " type folder (flags override it).")
    Path config;

    /** The folder data set's settings as flags; Jackson writes those given under the data section's names. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    static final class FolderFlags {

        @JsonProperty("images")
        @Option(names = "--images", paramLabel = "DIR", description = "Image folder.")
        String images;

        @JsonProperty("masks")
        @Option(names = "--masks", paramLabel = "DIR", description = "Mask folder.")
        String masks;

        @JsonProperty("numClasses")
        @Option(names = "--num-classes", paramLabel = "K", description = "Number of classes.")
        Integer numClasses;

        @JsonProperty("classNames")
        @Option(names = "--class-names", paramLabel = "NAME", split = ",", description = "Class names.")
        List<String> classNames;

        @JsonProperty("maskFormat")
        @Option(names = "--mask-format", paramLabel = "F", description = "index (default), binary255,"
                + " reduceZeroLabel or rgb.")
        String maskFormat;

        @JsonProperty("colorTable")
        @Option(names = "--color-table", paramLabel = "FILE", description = "Colour table JSON for rgb masks.")
        String colorTable;

        @JsonProperty("ignoreValue")
        @Option(names = "--ignore-value", paramLabel = "V", description = "Mask value of ignored pixels"
                + " (default 255).")
        Integer ignoreValue;

        @JsonProperty("maskSuffix")
        @Option(names = "--mask-suffix", paramLabel = "S", description = "Mask names are"
                + " <stem><S>.<ext>, e.g. _mask.")
        String maskSuffix;

        @JsonProperty("imageChannels")
        @Option(names = "--image-channels", paramLabel = "C", description = "Convert every image to 1 (gray)"
                + " or 3 (RGB) channels when read (default: as stored).")
        Integer imageChannels;
    }

    @Mixin
    FolderFlags folder;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        var flags = ConfigFiles.JSON.createObjectNode();
        flags.putObject("data").put("type", "folder").setAll((ObjectNode) ConfigFiles.JSON.valueToTree(folder));
        if (config == null && (folder.images == null || folder.masks == null)) {
            throw new UsageException("give --images and --masks (and --num-classes), or --config with a data section"
                    + " of type folder");
        }
        DataSpec data = RunSpec.load(config, flags).data();
        if (!(data.source() instanceof FolderSource source)) {
            throw new UsageException("validate-data checks folder data sets; the data section is of type "
                    + data.type());
        }
        DatasetConfig dc;
        try {
            dc = source.datasetConfig();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
        ValidationReport report = SegmentationDataset.validate(Path.of(source.images()), Path.of(source.masks()),
                dc);
        out.print(report);
        out.flush();
        if (!report.isOk()) {
            throw new DataProblemsException(report.problems().size());
        }
        return 0;
    }

    /** The data set has problems (already printed). */
    static final class DataProblemsException extends RuntimeException {
        DataProblemsException(int n) {
            super("the data set has " + n + (n == 1 ? " problem" : " problems") + " (listed above)");
        }
    }
}
