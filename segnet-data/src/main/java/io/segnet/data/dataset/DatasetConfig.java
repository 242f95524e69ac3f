package io.segnet.data.dataset;

import io.segnet.data.Sample;
import io.segnet.data.io.ColorTable;
import io.segnet.data.io.MaskFormat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to read a folder data set: number and names of classes, how masks are stored, the ignore value,
 * the image channels and the mask file naming. Immutable, validated on construction, serialisable with
 * Jackson.
 *
 * <p>Defaults ({@link #of(int)}): index masks, ignore value 255, images as stored, masks named like their
 * images ({@code 17.png} for {@code 17.jpg}).
 *
 * @param numClasses    K, at least 1; mask values must be {@code 0..K-1} or the ignore value
 * @param classNames    K names, in class-id order
 * @param maskFormat    how mask pixels become classes ({@link MaskFormat#index()} by default)
 * @param ignoreValue   class id of ignored pixels, at least K (default 255)
 * @param imageChannels 0 to keep each image's stored channels, 1 to convert to gray, 3 to RGB
 * @param maskSuffix    text between the image stem and the mask extension: with {@code "_mask"},
 *                      image {@code 17.jpg} pairs with mask {@code 17_mask.png} (mmsegmentation's
 *                      {@code seg_map_suffix} without the extension); default empty
 */
public record DatasetConfig(int numClasses, List<String> classNames, MaskFormat maskFormat, int ignoreValue,
                            int imageChannels, String maskSuffix) implements java.io.Serializable {

    /** Checks every field against the others; messages say what to change. */
    public DatasetConfig {
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses is " + numClasses + "; a segmentation data set needs at"
                    + " least 1 class (2 for binary segmentation: background and foreground)");
        }
        classNames = classNames == null ? defaultNames(numClasses) : List.copyOf(classNames);
        if (classNames.size() != numClasses) {
            throw new IllegalArgumentException(classNames.size() + " class names " + classNames + " for numClasses "
                    + numClasses + "; give exactly one name per class");
        }
        Objects.requireNonNull(maskFormat, "maskFormat (use MaskFormat.index() for masks holding class ids)");
        if (ignoreValue < numClasses || ignoreValue > 65535) {
            throw new IllegalArgumentException("ignoreValue " + ignoreValue + " must be in " + numClasses
                    + "..65535: a value below numClasses (" + numClasses + ") would be a class; the usual value is 255"
                    + (numClasses > 255 ? ", which is a class here: use e.g. 65535" : ""));
        }
        if (imageChannels != 0 && imageChannels != 1 && imageChannels != 3) {
            throw new IllegalArgumentException("imageChannels is " + imageChannels
                    + "; use 0 (as stored), 1 (convert to gray) or 3 (convert to RGB)");
        }
        Objects.requireNonNull(maskSuffix, "maskSuffix (use \"\" when masks are named like their images)");
        if (maskSuffix.contains("/") || maskSuffix.contains("\\")) {
            throw new IllegalArgumentException("maskSuffix '" + maskSuffix + "' contains a path separator; give the"
                    + " mask folder separately and only the name's suffix here, e.g. \"_mask\"");
        }
        if (maskFormat.kind() == MaskFormat.Kind.RGB && maskFormat.colorTable().numClasses() != numClasses) {
            throw new IllegalArgumentException("the colour table lists " + maskFormat.colorTable().numClasses()
                    + " classes but numClasses is " + numClasses + "; use DatasetConfig.rgb(table) to take both"
                    + " from the table");
        }
        for (Map.Entry<Integer, Integer> e : maskFormat.valueMap().entrySet()) {
            int v = e.getValue();
            if (v >= numClasses && v != ignoreValue) {
                throw new IllegalArgumentException("valueMap maps stored value " + e.getKey() + " to " + v
                        + ", which is neither a class (0.." + (numClasses - 1) + ") nor the ignore value "
                        + ignoreValue + "; fix the map or numClasses");
            }
        }
    }

    /** K classes named {@code class0..class<K-1>}, index masks, ignore 255, images as stored. */
    public static DatasetConfig of(int numClasses) {
        return new DatasetConfig(numClasses, null, MaskFormat.index(), Sample.DEFAULT_IGNORE, 0, "");
    }

    /** Classes and names from an RGB colour table; masks decoded through it. */
    public static DatasetConfig rgb(ColorTable table) {
        return new DatasetConfig(table.numClasses(), table.classNames(), MaskFormat.rgb(table),
                Sample.DEFAULT_IGNORE, 0, "");
    }

    /** Binary masks stored as 0/255 (background 0, foreground 1), the most common way they arrive. */
    public static DatasetConfig binary255() {
        return of(2).withMaskFormat(MaskFormat.binary255()).withClassNames(List.of("background", "foreground"));
    }

    /** This config with other class names. */
    public DatasetConfig withClassNames(List<String> names) {
        return new DatasetConfig(numClasses, names, maskFormat, ignoreValue, imageChannels, maskSuffix);
    }

    /** This config with another mask format. */
    public DatasetConfig withMaskFormat(MaskFormat format) {
        return new DatasetConfig(numClasses, classNames, format, ignoreValue, imageChannels, maskSuffix);
    }

    /** This config with another ignore value. */
    public DatasetConfig withIgnoreValue(int value) {
        return new DatasetConfig(numClasses, classNames, maskFormat, value, imageChannels, maskSuffix);
    }

    /** This config converting images to 1 or 3 channels (0: as stored). */
    public DatasetConfig withImageChannels(int channels) {
        return new DatasetConfig(numClasses, classNames, maskFormat, ignoreValue, channels, maskSuffix);
    }

    /** This config with a mask name suffix. */
    public DatasetConfig withMaskSuffix(String suffix) {
        return new DatasetConfig(numClasses, classNames, maskFormat, ignoreValue, imageChannels, suffix);
    }

    private static List<String> defaultNames(int k) {
        List<String> names = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            names.add("class" + i);
        }
        return names;
    }
}
