package io.segnet.data.io;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Map;
import java.util.TreeMap;

/**
 * How the pixel values of a mask file become class ids.
 *
 * <ul>
 *   <li>{@link Kind#INDEX} (default): the stored value is the class. Reads 8- and 16-bit grayscale PNGs
 *       and palette PNGs; of a palette PNG the raw palette index is used, never its display colour.
 *       An RGB file whose three channels are equal everywhere is read as grayscale.</li>
 *   <li>{@link Kind#RGB}: the pixel's colour is looked up in a {@link ColorTable}; colours the table
 *       does not list are an error that lists them with their pixel counts.</li>
 * </ul>
 * On top of {@code INDEX}, in the order of mmsegmentation's {@code LoadAnnotations}:
 * <ol>
 *   <li>{@code valueMap}: stored value to class, e.g. {@code {0: 0, 255: 1}} for binary masks saved as
 *       0/255; values not in the map pass through unchanged;</li>
 *   <li>{@code reduceZeroLabel}: mmsegmentation's {@code reduce_zero_label} for data sets whose 0 means
 *       "unlabelled" (ADE20K): 0 becomes the ignore value, {@code v} becomes {@code v-1}, and the ignore
 *       value stays the ignore value.</li>
 * </ol>
 * After decoding, every value must be a class ({@code 0..numClasses-1}) or the ignore value; the
 * data set checks that and names the offending values.
 *
 * @param kind            INDEX or RGB
 * @param valueMap        stored value to class id (INDEX only; empty for none)
 * @param reduceZeroLabel mmsegmentation's reduce_zero_label (INDEX only)
 * @param colorTable      the colour table (RGB only; null for INDEX)
 */
public record MaskFormat(Kind kind, Map<Integer, Integer> valueMap, boolean reduceZeroLabel,
                         ColorTable colorTable) implements java.io.Serializable {

    /** How the stored pixels are interpreted. */
    public enum Kind {
        /** One value per pixel (grayscale or palette index). */
        INDEX,
        /** Colours looked up in a colour table. */
        RGB
    }

    /**
     * The mask formats a settings file or a flag names: {@code index}, {@code binary255},
     * {@code reduceZeroLabel} and {@code rgb} (read case-insensitively, written as spelled here).
     */
    public enum Preset {
        /** {@link MaskFormat#index()}. */
        INDEX("index"),
        /** {@link MaskFormat#binary255()}. */
        BINARY255("binary255"),
        /** {@link MaskFormat#reducedZeroLabel()}. */
        REDUCE_ZERO_LABEL("reduceZeroLabel"),
        /** {@link MaskFormat#rgb(ColorTable)}: needs a colour table. */
        RGB("rgb");

        private final String spelling;

        Preset(String spelling) {
            this.spelling = spelling;
        }

        /** The name as settings files spell it, e.g. {@code reduceZeroLabel}. */
        @JsonValue
        public String spelling() {
            return spelling;
        }

        /**
         * The preset spelled {@code name} (case and surrounding blanks ignored).
         *
         * @throws IllegalArgumentException listing the known names
         */
        @JsonCreator
        public static Preset parse(String name) {
            String key = name == null ? "" : name.strip();
            for (Preset p : values()) {
                if (p.spelling.equalsIgnoreCase(key)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("mask format '" + name + "' is unknown; use index, binary255,"
                    + " reduceZeroLabel or rgb");
        }

        /**
         * The mask format of this preset.
         *
         * @param colorTable the colour table of {@link #RGB} masks; ignored (may be null) for the others
         */
        public MaskFormat format(ColorTable colorTable) {
            return switch (this) {
                case INDEX -> index();
                case BINARY255 -> binary255();
                case REDUCE_ZERO_LABEL -> reducedZeroLabel();
                case RGB -> rgb(colorTable);
            };
        }

        @Override
        public String toString() {
            return spelling;
        }
    }

    /** Checks that the parts fit the kind. */
    public MaskFormat {
        if (kind == null) {
            throw new IllegalArgumentException("mask format kind must be INDEX or RGB");
        }
        valueMap = valueMap == null ? Map.of() : Map.copyOf(new TreeMap<>(valueMap));
        for (Map.Entry<Integer, Integer> e : valueMap.entrySet()) {
            if (e.getKey() < 0 || e.getValue() < 0) {
                throw new IllegalArgumentException("valueMap entry " + e.getKey() + " -> " + e.getValue()
                        + ": stored values and class ids are non-negative");
            }
        }
        if (kind == Kind.RGB) {
            if (colorTable == null) {
                throw new IllegalArgumentException("an RGB mask format needs a colour table:"
                        + " give --color-table FILE (YAML data.colorTable; Java MaskFormat.rgb(table))");
            }
            if (!valueMap.isEmpty() || reduceZeroLabel) {
                throw new IllegalArgumentException("valueMap and reduceZeroLabel apply to index masks only; an RGB"
                        + " mask's classes come from its colour table: edit the table instead");
            }
        } else if (colorTable != null) {
            throw new IllegalArgumentException("a colour table only applies to RGB masks:"
                    + " use --mask-format rgb (YAML data.maskFormat: rgb; Java MaskFormat.rgb(table))");
        }
    }

    /** Stored value = class (grayscale or palette PNG). */
    public static MaskFormat index() {
        return new MaskFormat(Kind.INDEX, Map.of(), false, null);
    }

    /** Stored value mapped through {@code map}; unmapped values pass through. */
    public static MaskFormat valueMap(Map<Integer, Integer> map) {
        return new MaskFormat(Kind.INDEX, map, false, null);
    }

    /** Binary masks saved as 0/255: 0 becomes class 0, 255 class 1. */
    public static MaskFormat binary255() {
        return valueMap(Map.of(0, 0, 255, 1));
    }

    /** mmsegmentation's reduce_zero_label: 0 becomes ignore, v becomes v-1. */
    public static MaskFormat reducedZeroLabel() {
        return new MaskFormat(Kind.INDEX, Map.of(), true, null);
    }

    /** RGB masks decoded with a colour table. */
    public static MaskFormat rgb(ColorTable table) {
        return new MaskFormat(Kind.RGB, Map.of(), false, table);
    }

    /** This format with a value map (INDEX only). */
    public MaskFormat withValueMap(Map<Integer, Integer> map) {
        return new MaskFormat(kind, map, reduceZeroLabel, colorTable);
    }

    /** This format with reduce_zero_label on or off (INDEX only). */
    public MaskFormat withReduceZeroLabel(boolean reduce) {
        return new MaskFormat(kind, valueMap, reduce, colorTable);
    }

    /**
     * Applies the value map and reduce_zero_label to stored values, in place.
     *
     * @param values      stored values of an INDEX mask, replaced by class ids
     * @param ignoreValue the ignore value
     */
    public void mapIndexValues(int[] values, int ignoreValue) {
        if (kind != Kind.INDEX) {
            throw new IllegalStateException("mapIndexValues is for INDEX masks");
        }
        if (valueMap.isEmpty() && !reduceZeroLabel) {
            return;
        }
        int maxKey = valueMap.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1);
        int[] table = new int[maxKey + 1];
        boolean[] mapped = new boolean[maxKey + 1];
        valueMap.forEach((k, v) -> {
            table[k] = v;
            mapped[k] = true;
        });
        for (int i = 0; i < values.length; i++) {
            int v = values[i];
            if (v <= maxKey && mapped[v]) {
                v = table[v];
            }
            if (reduceZeroLabel && v != ignoreValue) {
                v = v == 0 ? ignoreValue : v - 1;
            }
            values[i] = v;
        }
    }

    /** A short description for messages, e.g. {@code index with valueMap {0=0, 255=1}}. */
    public String describe() {
        if (kind == Kind.RGB) {
            return "RGB with a colour table of " + colorTable.numClasses() + " classes";
        }
        StringBuilder s = new StringBuilder("index");
        if (!valueMap.isEmpty()) {
            s.append(" with valueMap ").append(new TreeMap<>(valueMap));
        }
        if (reduceZeroLabel) {
            s.append(valueMap.isEmpty() ? " with" : " and").append(" reduceZeroLabel");
        }
        return s.toString();
    }
}
