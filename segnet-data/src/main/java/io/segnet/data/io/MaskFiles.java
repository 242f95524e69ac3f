package io.segnet.data.io;

import io.segnet.data.DataException;
import io.segnet.data.DataProblem.Kind;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Reading mask files into class maps according to a {@link MaskFormat}, and checking that every value is
 * a class or the ignore value.
 *
 * <p>Index masks: 8- and 16-bit grayscale (values up to 65535), palette PNGs (the raw palette index,
 * whatever colour the palette shows), and RGB files whose three channels are equal. RGB masks: 8-bit RGB
 * or palette files whose colours are looked up in the colour table. Every error names the file, the
 * values or colours involved with their pixel counts, and a likely fix.
 */
public final class MaskFiles {

    private static final int LISTED = 8;

    private MaskFiles() {
    }

    /**
     * Reads a mask and checks its values.
     *
     * @param file        the mask file
     * @param format      how stored values become classes
     * @param numClasses  K: valid classes are {@code 0..K-1}
     * @param ignoreValue the value of ignored pixels
     * @throws DataException naming the file when it cannot be decoded, is a JPEG (by content, whatever its
     *                       extension: compression noise changes class ids), is stored in a way the format
     *                       cannot read, or holds values that are neither a class nor the ignore value
     */
    public static ClassMap read(Path file, MaskFormat format, int numClasses, int ignoreValue) {
        BufferedImage image = ImageFiles.decode(file);
        if (ImageFiles.isJpeg(file)) {
            throw DataException.of(file, Kind.LOSSY_MASK, "mask is stored as JPEG, a lossy format: its compression"
                            + " noise changes class ids along every edge (values next to the real ones) and cannot be"
                            + " undone", "export the masks as PNG (lossless) from their source; converting these"
                            + " JPEG files to PNG keeps the noise");
        }
        int[] values = format.kind() == MaskFormat.Kind.RGB
                ? rgbToClasses(image, file, format.colorTable(), ignoreValue)
                : indexValues(image, file);
        if (format.kind() == MaskFormat.Kind.INDEX) {
            int[] stored = format.valueMap().isEmpty() && !format.reduceZeroLabel() ? values : values.clone();
            format.mapIndexValues(values, ignoreValue);
            checkValues(values, stored, file, format, numClasses, ignoreValue);
        }
        return new ClassMap(image.getHeight(), image.getWidth(), values);
    }

    /**
     * The stored value of every pixel of an index mask: the sample of a single-channel image, the palette
     * index of a palette image, or the common value of an RGB image whose channels are equal.
     */
    public static int[] indexValues(BufferedImage image, Path file) {
        int h = image.getHeight();
        int w = image.getWidth();
        Raster raster = image.getRaster();
        ColorModel cm = image.getColorModel();
        if (cm instanceof IndexColorModel) {
            return raster.getSamples(0, 0, w, h, 0, (int[]) null);
        }
        if (cm.getNumColorComponents() == 1) {
            if (ImageFiles.isPlainBytes(raster, w)) {
                byte[] bytes = ((DataBufferByte) raster.getDataBuffer()).getData();
                int[] out = new int[h * w];
                for (int i = 0; i < out.length; i++) {
                    out[i] = bytes[i] & 0xFF;
                }
                return out;
            }
            return raster.getSamples(0, 0, w, h, 0, (int[]) null);
        }
        if (cm.getNumColorComponents() == 3) {
            int[] r = raster.getSamples(0, 0, w, h, 0, (int[]) null);
            int[] g = raster.getSamples(0, 0, w, h, 1, (int[]) null);
            int[] b = raster.getSamples(0, 0, w, h, 2, (int[]) null);
            for (int i = 0; i < r.length; i++) {
                if (r[i] != g[i] || g[i] != b[i]) {
                    Map<Integer, Long> colours = colourCounts(image);
                    throw DataException.of(file, Kind.WRONG_MASK_FORMAT, "mask is a colour image ("
                                    + colours.size() + " colours: " + listColours(colours)
                                    + ") but the mask format is index (one class id per pixel)",
                            "decode it with --mask-format rgb --color-table <table.json> (YAML data.maskFormat: rgb,"
                                    + " data.colorTable; Java MaskFormat.rgb) mapping each colour to a class, or save the masks as single-channel PNGs holding class ids");
                }
            }
            return r;
        }
        throw DataException.of(file, Kind.WRONG_MASK_FORMAT, "mask has " + cm.getNumColorComponents()
                + " colour components", "save masks as single-channel (grayscale or palette) PNGs holding class ids");
    }

    /** Class ids of an RGB (or palette, or gray) mask through the colour table; unknown colours are an error. */
    static int[] rgbToClasses(BufferedImage image, Path file, ColorTable table, int ignoreValue) {
        int h = image.getHeight();
        int w = image.getWidth();
        int[] rgb = packedColours(image, file);
        Map<Integer, Integer> lookup = table.lookup(ignoreValue);
        int[] out = new int[h * w];
        Map<Integer, Long> unknown = null;
        int lastColour = -1;
        int lastClass = -1;
        for (int i = 0; i < rgb.length; i++) {
            int c = rgb[i];
            if (c != lastColour) {
                Integer k = lookup.get(c);
                lastColour = c;
                lastClass = k == null ? -1 : k;
            }
            if (lastClass < 0) {
                if (unknown == null) {
                    unknown = new HashMap<>();
                }
                unknown.merge(c, 1L, Long::sum);
            }
            out[i] = lastClass;
        }
        if (unknown != null) {
            Map<Integer, Long> all = new HashMap<>();
            for (int c : rgb) {
                all.merge(c, 1L, Long::sum);
            }
            throw DataException.of(file, Kind.UNKNOWN_COLOUR, unknown.size() + " colour"
                            + (unknown.size() == 1 ? " is" : "s are") + " not in the colour table: "
                            + listColours(unknown) + "; colours found in the file: " + listColours(all)
                            + "; the table lists " + table.classes(),
                    "add each colour to the table (under \"classes\", or under \"ignore\" for unlabelled pixels),"
                            + " or re-export the mask without anti-aliasing (masks must be resized with"
                            + " nearest-neighbour and saved as PNG, never JPEG)");
        }
        return out;
    }

    private static int[] packedColours(BufferedImage image, Path file) {
        int h = image.getHeight();
        int w = image.getWidth();
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        int[] out = new int[h * w];
        if (cm instanceof IndexColorModel icm) {
            int[] index = raster.getSamples(0, 0, w, h, 0, (int[]) null);
            for (int i = 0; i < out.length; i++) {
                out[i] = icm.getRGB(index[i]) & 0xFFFFFF;
            }
            return out;
        }
        int components = cm.getNumColorComponents();
        for (int c = 0; c < Math.min(components, 3); c++) {
            if (raster.getSampleModel().getSampleSize(c) != 8) {
                throw DataException.of(file, Kind.WRONG_MASK_FORMAT, "RGB mask has "
                                + raster.getSampleModel().getSampleSize(c) + "-bit channels",
                        "save RGB masks with 8 bits per channel, or as single-channel PNGs holding class ids");
            }
        }
        if (components == 1) {
            int[] v = raster.getSamples(0, 0, w, h, 0, (int[]) null);
            for (int i = 0; i < out.length; i++) {
                out[i] = (v[i] << 16) | (v[i] << 8) | v[i];
            }
            return out;
        }
        if (components == 3) {
            int[] r = raster.getSamples(0, 0, w, h, 0, (int[]) null);
            int[] g = raster.getSamples(0, 0, w, h, 1, (int[]) null);
            int[] b = raster.getSamples(0, 0, w, h, 2, (int[]) null);
            for (int i = 0; i < out.length; i++) {
                out[i] = (r[i] << 16) | (g[i] << 8) | b[i];
            }
            return out;
        }
        throw DataException.of(file, Kind.WRONG_MASK_FORMAT, "mask has " + components + " colour components",
                "save RGB masks as 8-bit RGB PNGs");
    }

    /**
     * Checks decoded values against {@code 0..numClasses-1} and the ignore value.
     *
     * @param values the decoded class ids
     * @param stored the values as stored in the file (before the value map), for the hint
     */
    static void checkValues(int[] values, int[] stored, Path file, MaskFormat format, int numClasses,
                            int ignoreValue) {
        TreeMap<Integer, Long> bad = null;
        for (int v : values) {
            if ((v < 0 || v >= numClasses) && v != ignoreValue) {
                if (bad == null) {
                    bad = new TreeMap<>();
                }
                bad.merge(v, 1L, Long::sum);
            }
        }
        if (bad == null) {
            return;
        }
        TreeMap<Integer, Long> storedCounts = new TreeMap<>();
        for (int v : stored) {
            storedCounts.merge(v, 1L, Long::sum);
        }
        String listed = bad.entrySet().stream().sorted(Map.Entry.<Integer, Long>comparingByValue().reversed())
                .limit(LISTED).map(e -> e.getKey() + " (" + e.getValue() + " px)").collect(Collectors.joining(", "))
                + (bad.size() > LISTED ? ", ... (" + bad.size() + " values in all)" : "");
        String mapped = format.valueMap().isEmpty() && !format.reduceZeroLabel() ? "" : " after " + format.describe();
        throw DataException.of(file, Kind.BAD_MASK_VALUE, "mask value" + (bad.size() == 1 ? " " : "s ") + listed
                        + (bad.size() == 1 ? " is" : " are") + " neither a class (0.." + (numClasses - 1)
                        + ") nor the ignore value " + ignoreValue + mapped + "; stored values: "
                        + counts(storedCounts),
                hint(storedCounts, bad, format, numClasses, ignoreValue));
    }

    private static String hint(TreeMap<Integer, Long> stored, TreeMap<Integer, Long> bad, MaskFormat format,
                               int numClasses, int ignoreValue) {
        List<String> hints = new ArrayList<>();
        boolean plain = format.valueMap().isEmpty() && !format.reduceZeroLabel();
        if (plain && stored.size() == 2 && stored.firstKey() == 0 && numClasses == 2) {
            hints.add("a binary mask stored as 0/" + stored.lastKey() + ": " + (stored.lastKey() == 255
                    ? "use --mask-format binary255 (YAML data.maskFormat: binary255; Java MaskFormat.binary255())"
                    : "re-save the masks with values 0 and 1 (Java: MaskFormat.valueMap(Map.of(0, 0, "
                    + stored.lastKey() + ", 1)))"));
        }
        boolean noisy = looksNoisy(stored, numClasses);
        if (plain && bad.size() == 1 && bad.firstKey() == numClasses && !noisy) {
            hints.add("labels that run 1.." + numClasses + " look 1-based: if 0 means unlabelled use"
                    + " --mask-format reduceZeroLabel (YAML data.maskFormat: reduceZeroLabel), otherwise raise --num-classes"
                    + " (YAML data.numClasses) to " + (numClasses + 1));
        }
        if (noisy) {
            hints.add(0, "the mask holds " + stored.size() + " different values for " + numClasses
                    + " classes, rare ones next to the common ones: it looks anti-aliased, resized with interpolation or saved as JPEG; masks"
                    + " must be lossless PNGs resized with nearest-neighbour");
        }
        if (hints.isEmpty()) {
            hints.add("if they are classes, raise --num-classes (YAML data.numClasses) to " + (bad.lastKey() + 1)
                    + "; if they mean 'unlabelled', re-save the masks with the ignore value " + ignoreValue
                    + " there (or give --ignore-value " + bad.firstKey() + ", YAML data.ignoreValue: " + bad.firstKey()
                    + ", if it is the only such value)"
                    + "; otherwise fix the mask");
        }
        return String.join("; or ", hints);
    }

    /**
     * Whether stored values look like compression or interpolation noise rather than labels: more distinct values
     * than classes allow, or rare values (under 5% of the pixels each, 10% together) right next to (within 3 of) a
     * dominant value.
     */
    static boolean looksNoisy(TreeMap<Integer, Long> stored, int numClasses) {
        if (stored.size() > Math.max(2 * numClasses, numClasses + 8)) {
            return true;
        }
        long total = stored.values().stream().mapToLong(Long::longValue).sum();
        long rareNearDominant = 0;
        int rareCount = 0;
        for (Map.Entry<Integer, Long> e : stored.entrySet()) {
            if (e.getValue() * 20 >= total) {
                continue;
            }
            for (int d = -3; d <= 3; d++) {
                Long n = d == 0 ? null : stored.get(e.getKey() + d);
                if (n != null && n * 5 >= total) {
                    rareNearDominant += e.getValue();
                    rareCount++;
                    break;
                }
            }
        }
        return rareCount >= 2 && rareNearDominant * 10 <= total;
    }

    private static Map<Integer, Long> colourCounts(BufferedImage image) {
        int h = image.getHeight();
        int w = image.getWidth();
        Map<Integer, Long> counts = new HashMap<>();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                counts.merge(image.getRGB(x, y) & 0xFFFFFF, 1L, Long::sum);
            }
        }
        return counts;
    }

    private static String listColours(Map<Integer, Long> counts) {
        String s = counts.entrySet().stream()
                .sorted(Map.Entry.<Integer, Long>comparingByValue().reversed()
                        .thenComparing(Map.Entry.comparingByKey(Comparator.naturalOrder())))
                .limit(LISTED).map(e -> ColorTable.describe(e.getKey()) + " " + e.getValue() + " px")
                .collect(Collectors.joining(", "));
        return counts.size() > LISTED ? s + ", ... (" + counts.size() + " colours in all)" : s;
    }

    private static String counts(TreeMap<Integer, Long> counts) {
        String s = counts.entrySet().stream().limit(LISTED).map(e -> e.getKey() + " (" + e.getValue() + " px)")
                .collect(Collectors.joining(", "));
        return counts.size() > LISTED ? s + ", ... (" + counts.size() + " values in all)" : s;
    }
}
