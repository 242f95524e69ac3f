package io.segnet.data.io;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segnet.common.io.AtomicFiles;
import io.segnet.common.json.JsonMappers;
import io.segnet.data.DataException;
import io.segnet.data.DataProblem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The colour-to-class table of RGB masks (Cityscapes colour images, CamVid, exports from labelling tools).
 * Class {@code i} is the {@code i}-th entry of {@link #classes()}; colours listed in {@link #ignore()}
 * become the ignore value.
 *
 * <p>JSON form, as read by {@link #read(Path)}:
 * <pre>{@code
 * {"classes": [{"name": "road", "color": [128, 64, 128]},
 *              {"name": "car",  "color": [0, 0, 142]}],
 *  "ignore":  [[0, 0, 0]]}
 * }</pre>
 *
 * @param classes one entry per class, in class-id order (at least one)
 * @param ignore  colours that mark ignored pixels (may be empty)
 */
public record ColorTable(List<ClassColor> classes, List<int[]> ignore) implements java.io.Serializable {

    private static final ObjectMapper JSON = JsonMappers.JSON;

    /**
     * One class of the table.
     *
     * @param name  class name, e.g. "road"
     * @param color {@code [r, g, b]}, each 0..255
     */
    public record ClassColor(String name, int[] color) implements java.io.Serializable {
        /** Checks the name and the colour. */
        public ClassColor {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a colour-table class needs a non-empty \"name\"");
            }
            checkColor(color, "class '" + name + "'");
            color = color.clone();
        }

        /** The colour as {@code 0xRRGGBB}. */
        @JsonIgnore
        public int rgb() {
            return pack(color);
        }

        @Override
        public int[] color() {
            return color.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ClassColor c && name.equals(c.name) && Arrays.equals(color, c.color);
        }

        @Override
        public int hashCode() {
            return 31 * name.hashCode() + Arrays.hashCode(color);
        }

        @Override
        public String toString() {
            return name + " " + Arrays.toString(color);
        }
    }

    /** Checks for at least one class and for colours used twice. */
    public ColorTable {
        if (classes == null || classes.isEmpty()) {
            throw new IllegalArgumentException("a colour table needs at least one entry under \"classes\"");
        }
        classes = List.copyOf(classes);
        List<int[]> ignoreCopy = new ArrayList<>();
        if (ignore != null) {
            for (int[] c : ignore) {
                checkColor(c, "an \"ignore\" colour");
                ignoreCopy.add(c.clone());
            }
        }
        ignore = List.copyOf(ignoreCopy);
        Map<Integer, String> owner = new HashMap<>();
        for (ClassColor c : classes) {
            String before = owner.putIfAbsent(c.rgb(), "class '" + c.name() + "'");
            if (before != null) {
                throw new IllegalArgumentException("colour " + Arrays.toString(c.color) + " is used by both "
                        + before + " and class '" + c.name() + "'; every class needs its own colour");
            }
        }
        for (int[] c : ignore) {
            String before = owner.putIfAbsent(pack(c), "\"ignore\"");
            if (before != null) {
                throw new IllegalArgumentException("colour " + Arrays.toString(c) + " is listed under \"ignore\" and"
                        + " also by " + before + "; a colour can only mean one thing");
            }
        }
    }

    /** A table from class entries, without ignore colours. */
    public static ColorTable of(ClassColor... classes) {
        return new ColorTable(List.of(classes), List.of());
    }

    /** Reads the JSON form; errors name the file and the field. */
    public static ColorTable read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw DataException.of(file, DataProblem.Kind.MISSING_FOLDER, "colour table file does not exist",
                    "check the path (relative paths resolve against " + Path.of("").toAbsolutePath() + ")");
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("the file holds no JSON object");
            }
            for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!name.equals("classes") && !name.equals("ignore")) {
                    throw new IllegalArgumentException("unknown field \"" + name + "\" (known: \"classes\", \"ignore\")");
                }
            }
            return JSON.treeToValue(root, ColorTable.class);
        } catch (IOException | IllegalArgumentException e) {
            String why = e.getMessage();
            if (e.getCause() instanceof IllegalArgumentException iae) {
                why = iae.getMessage();
            }
            throw new DataException(new DataProblem(file, DataProblem.Kind.BAD_CONTENT,
                    "not a valid colour table: " + firstLine(why),
                    "write it as {\"classes\": [{\"name\": \"road\", \"color\": [128, 64, 128]}, ...],"
                            + " \"ignore\": [[0, 0, 0]]}"), e);
        }
    }

    /** Writes the JSON form (for saving a table next to a data set), atomically, replacing an existing file. */
    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, true, JsonMappers.write(this));
    }

    /** Number of classes. */
    @JsonIgnore
    public int numClasses() {
        return classes.size();
    }

    /** Class names in class-id order. */
    @JsonIgnore
    public List<String> classNames() {
        return classes.stream().map(ClassColor::name).toList();
    }

    /**
     * The lookup from {@code 0xRRGGBB} to class id, with ignore colours mapped to {@code ignoreValue}.
     */
    public Map<Integer, Integer> lookup(int ignoreValue) {
        Map<Integer, Integer> map = new HashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            map.put(classes.get(i).rgb(), i);
        }
        for (int[] c : ignore) {
            map.put(pack(c), ignoreValue);
        }
        return map;
    }

    @Override
    @JsonProperty("ignore")
    public List<int[]> ignore() {
        return ignore.stream().map(int[]::clone).toList();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ColorTable t) || !classes.equals(t.classes) || ignore.size() != t.ignore.size()) {
            return false;
        }
        for (int i = 0; i < ignore.size(); i++) {
            if (!Arrays.equals(ignore.get(i), t.ignore.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = classes.hashCode();
        for (int[] c : ignore) {
            h = 31 * h + Arrays.hashCode(c);
        }
        return h;
    }

    /** {@code 0xRRGGBB} as {@code (r,g,b)}. */
    public static String describe(int rgb) {
        return "(" + ((rgb >> 16) & 0xFF) + "," + ((rgb >> 8) & 0xFF) + "," + (rgb & 0xFF) + ")";
    }

    static int pack(int[] c) {
        return (c[0] << 16) | (c[1] << 8) | c[2];
    }

    private static void checkColor(int[] c, String what) {
        Objects.requireNonNull(c, what + ": colour");
        if (c.length != 3) {
            throw new IllegalArgumentException(what + ": a colour needs 3 components [r, g, b], got "
                    + Arrays.toString(c));
        }
        for (int v : c) {
            if (v < 0 || v > 255) {
                throw new IllegalArgumentException(what + ": colour " + Arrays.toString(c)
                        + " has a component outside 0..255");
            }
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable JSON";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
