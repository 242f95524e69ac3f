package io.segnet.data.source;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.segnet.data.Sample;
import io.segnet.data.SampleSource;
import io.segnet.data.dataset.DatasetConfig;
import io.segnet.data.dataset.SegmentationDataset;
import io.segnet.data.dataset.Split;
import io.segnet.data.io.ColorTable;
import io.segnet.data.io.MaskFormat;

import java.nio.file.Path;
import java.util.List;

/**
 * An image folder and a mask folder pairing by file stem ({@code type: folder}, {@link SegmentationDataset}).
 * Validation comes from {@code validationImages}/{@code validationMasks}, else a seeded split of
 * {@code validationFraction} (or {@code validationCount}) of the images, else there is none.
 *
 * @param images             training image folder ({@code data.images}, {@code --images})
 * @param masks              training mask folder ({@code data.masks}, {@code --masks})
 * @param validationImages   validation image folder, or null ({@code data.validationImages}, {@code --val-images})
 * @param validationMasks    validation mask folder, or null ({@code data.validationMasks}, {@code --val-masks})
 * @param validationFraction share of the images held out when there are no validation folders, in [0, 1), 0 for
 *                           none ({@code data.validationFraction}, {@code --val-fraction})
 * @param validationCount    images held out when the fraction is 0 ({@code data.validationCount}; 0 for none)
 * @param seed               split seed ({@code data.seed}, {@code --seed}; 42)
 * @param numClasses         number of classes ({@code data.numClasses}, {@code --num-classes}); taken from the colour
 *                           table for {@code rgb} masks
 * @param classNames         class names, or null for {@code class0..} ({@code data.classNames}, {@code --class-names})
 * @param maskFormat         how mask pixels become classes ({@code data.maskFormat}, {@code --mask-format}; index)
 * @param colorTable         the colour table JSON file of {@code rgb} masks, else null ({@code data.colorTable},
 *                           {@code --color-table})
 * @param ignoreValue        mask value of ignored pixels ({@code data.ignoreValue}; 255)
 * @param imageChannels      0 as stored, 1 gray, 3 RGB ({@code data.imageChannels}; 0)
 * @param maskSuffix         text between image stem and mask extension ({@code data.maskSuffix}; "")
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FolderSource(String images, String masks, String validationImages, String validationMasks,
                           double validationFraction, int validationCount, long seed, int numClasses,
                           List<String> classNames, MaskFormat.Preset maskFormat, String colorTable, int ignoreValue,
                           int imageChannels, String maskSuffix) implements DataSource {

    /** Checks the fields against each other; messages name the setting to change. */
    public FolderSource {
        if (images == null || masks == null) {
            throw new IllegalArgumentException("a folder data set needs data.images and data.masks (the image"
                    + " and mask folders; flags --images and --masks)");
        }
        if ((validationImages == null) != (validationMasks == null)) {
            throw new IllegalArgumentException("give both data.validationImages and data.validationMasks, or"
                    + " neither (flags --val-images and --val-masks)");
        }
        maskFormat = maskFormat == null ? MaskFormat.Preset.INDEX : maskFormat;
        if (maskFormat == MaskFormat.Preset.RGB && colorTable == null) {
            throw new IllegalArgumentException("rgb masks need data.colorTable (--color-table), a JSON file such as"
                    + " {\"classes\": [{\"name\": \"road\", \"color\": [128, 64, 128]}, ...]}");
        }
        if (maskFormat != MaskFormat.Preset.RGB && numClasses < 1) {
            throw new IllegalArgumentException("a folder data set needs data.numClasses (--num-classes: the number of"
                    + " classes in the masks), e.g. 2 for binary masks");
        }
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("data.validationFraction (--val-fraction) is " + validationFraction
                    + "; use a share in [0, 1), e.g. 0.1, or 0 for none");
        }
        if (validationCount < 0) {
            throw new IllegalArgumentException("data.validationCount is " + validationCount + "; use 0 or more");
        }
        classNames = classNames == null ? null : List.copyOf(classNames);
        maskSuffix = maskSuffix == null ? "" : maskSuffix;
    }

    /**
     * Reads a settings file's fields; those left out take the defaults (index masks, ignore value 255, images as
     * stored, no mask suffix, no validation, seed 42).
     */
    @JsonCreator
    static FolderSource fromSettings(@JsonProperty("images") String images, @JsonProperty("masks") String masks,
                                     @JsonProperty("validationImages") String validationImages,
                                     @JsonProperty("validationMasks") String validationMasks,
                                     @JsonProperty("validationFraction") Double validationFraction,
                                     @JsonProperty("validationCount") Integer validationCount,
                                     @JsonProperty("seed") Long seed,
                                     @JsonProperty("numClasses") Integer numClasses,
                                     @JsonProperty("classNames") List<String> classNames,
                                     @JsonProperty("maskFormat") MaskFormat.Preset maskFormat,
                                     @JsonProperty("colorTable") String colorTable,
                                     @JsonProperty("ignoreValue") Integer ignoreValue,
                                     @JsonProperty("imageChannels") Integer imageChannels,
                                     @JsonProperty("maskSuffix") String maskSuffix) {
        return new FolderSource(images, masks, validationImages, validationMasks,
                validationFraction == null ? 0 : validationFraction, validationCount == null ? 0 : validationCount,
                seed == null ? DEFAULT_SEED : seed, numClasses == null ? 0 : numClasses, classNames, maskFormat,
                colorTable, ignoreValue == null ? Sample.DEFAULT_IGNORE : ignoreValue,
                imageChannels == null ? 0 : imageChannels, maskSuffix);
    }

    /**
     * A folder data set with the defaults: index masks, ignore value 255, images as stored, no validation.
     */
    public static FolderSource of(String images, String masks, int numClasses) {
        return new FolderSource(images, masks, null, null, 0, 0, DEFAULT_SEED, numClasses, null,
                MaskFormat.Preset.INDEX, null, Sample.DEFAULT_IGNORE, 0, "");
    }

    @Override
    public FolderSource withSeed(long newSeed) {
        return new FolderSource(images, masks, validationImages, validationMasks, validationFraction,
                validationCount, newSeed, numClasses, classNames, maskFormat, colorTable, ignoreValue, imageChannels,
                maskSuffix);
    }

    /**
     * How the folders are read: classes, mask format (reading the colour table of {@code rgb} masks), ignore value,
     * channels and mask suffix.
     *
     * @throws IllegalArgumentException if the settings do not fit together (e.g. more class names than classes)
     */
    public DatasetConfig datasetConfig() {
        if (maskFormat == MaskFormat.Preset.RGB) {
            DatasetConfig c = DatasetConfig.rgb(ColorTable.read(Path.of(colorTable)));
            return c.withIgnoreValue(ignoreValue).withImageChannels(imageChannels).withMaskSuffix(maskSuffix);
        }
        return new DatasetConfig(numClasses, classNames, maskFormat.format(null), ignoreValue, imageChannels,
                maskSuffix);
    }

    @Override
    public Parts open() {
        DatasetConfig config = datasetConfig();
        SegmentationDataset all = SegmentationDataset.fromFolders(Path.of(images), Path.of(masks), config);
        if (validationImages != null) {
            SampleSource va = SegmentationDataset.fromFolders(Path.of(validationImages), Path.of(validationMasks),
                    config);
            return new Parts(all, va);
        }
        Split<SegmentationDataset> s;
        if (validationFraction > 0) {
            s = all.split(validationFraction, seed);
        } else if (validationCount > 0) {
            s = all.split(validationCount, seed);
        } else {
            return new Parts(all, null);
        }
        return new Parts(s.train(), s.validation());
    }

    @Override
    public String fingerprint() {
        return "folder images=" + images + " masks=" + masks;
    }

    /** The validation folders when there are any, else {@link #fingerprint()} (the split is held out of it). */
    @Override
    public String validationOrigin() {
        return validationImages == null ? fingerprint()
                : "folder images=" + validationImages + " masks=" + validationMasks;
    }
}
