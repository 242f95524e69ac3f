package io.segnet.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segnet.common.json.JsonMappers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Settings files: YAML ({@code .yaml}, {@code .yml}) or JSON ({@code .json}) read into Jackson trees, laid over the
 * defaults field by field (so a file need only name what differs), then turned into validated records. Unknown
 * fields are errors that name the field, the file and the known fields; a value a record rejects is reported with
 * the record's own message.
 */
public final class ConfigFiles {

    /** JSON: unknown fields fail, indented output ({@link JsonMappers#JSON}; {@link #convert} also fails on nulls). */
    public static final ObjectMapper JSON = JsonMappers.JSON;
    /** YAML with the same settings, without the {@code ---} document marker ({@link JsonMappers#YAML}). */
    public static final ObjectMapper YAML = JsonMappers.YAML;

    private ConfigFiles() {
    }

    /**
     * Reads a settings file into a tree: YAML for {@code .yaml}/{@code .yml}, JSON for {@code .json}.
     *
     * @throws IllegalArgumentException naming the file for a missing file, another extension or a syntax error
     */
    public static JsonNode readTree(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        ObjectMapper mapper;
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            mapper = YAML;
        } else if (name.endsWith(".json")) {
            mapper = JSON;
        } else {
            throw new IllegalArgumentException(file + ": settings files must end in .yaml, .yml or .json");
        }
        try {
            JsonNode tree = mapper.readTree(Files.readString(file));
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                return JSON.createObjectNode();
            }
            if (!tree.isObject()) {
                throw new IllegalArgumentException(file + ": expected a mapping of settings at the top level, found "
                        + tree.getNodeType().toString().toLowerCase(Locale.ROOT));
            }
            return tree;
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such settings file (relative paths resolve against "
                    + Path.of("").toAbsolutePath() + ")", e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not valid " + (mapper == YAML ? "YAML" : "JSON") + ": "
                    + e.getOriginalMessage() + " (line " + e.getLocation().getLineNr() + ")", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * {@code overrides} laid over {@code base}: objects are merged key by key (recursively), anything else (values,
     * arrays) is replaced.
     */
    public static JsonNode merge(JsonNode base, JsonNode overrides) {
        if (overrides == null || overrides.isMissingNode()) {
            return base;
        }
        if (base == null || !base.isObject() || !overrides.isObject()) {
            return overrides.deepCopy();
        }
        ObjectNode out = base.deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> it = overrides.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.set(e.getKey(), merge(out.get(e.getKey()), e.getValue()));
        }
        return out;
    }

    /**
     * Converts a tree to a record of {@code type}.
     *
     * @param source what the tree came from, for messages (a file name, "command-line flags")
     * @throws IllegalArgumentException naming the source and field for an unknown field, a value of the wrong type,
     *                                  or a value the record rejects
     */
    public static <T> T convert(JsonNode tree, Class<T> type, String source) {
        return convert(tree, type, source, true);
    }

    /**
     * Converts a tree to a record of {@code type}, like {@link #convert(JsonNode, Class, String)}, optionally reading
     * an absent primitive field as its Java default as a model config file is read (a whole config, whose records
     * give their optional fields' defaults for 0 and false), rather than failing.
     *
     * @param complete true: every primitive field must be given; false: absent ones read as 0 / false
     */
    public static <T> T convert(JsonNode tree, Class<T> type, String source, boolean complete) {
        try {
            return (complete ? JsonMappers.completeReader(type) : JsonMappers.JSON.readerFor(type)).readValue(tree);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : " (known: " + e.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", ")) + ")";
            throw new IllegalArgumentException(source + ": unknown setting '" + e.getPropertyName() + "' at "
                    + path(e) + known, e);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalArgumentException(source + ": " + cause.getMessage(), e);
        } catch (InvalidFormatException e) {
            throw new IllegalArgumentException(source + ": value '" + e.getValue() + "' at " + path(e) + " is not a "
                    + e.getTargetType().getSimpleName() + rootMessage(e), e);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + rootMessage(e).replaceFirst("^: ", ""), e);
        }
    }

    /** The defaults of a record, as a tree. */
    public static JsonNode tree(Object value) {
        return JSON.valueToTree(value);
    }

    /**
     * Reads a record from a settings file laid over {@code defaults}.
     *
     * @throws IllegalArgumentException naming the file and the problem
     */
    public static <T> T read(Path file, Class<T> type, T defaults) {
        return convert(merge(tree(defaults), readTree(file)), type, file.toString());
    }

    /** A value as YAML text. */
    public static String toYaml(Object value) {
        try {
            return YAML.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value + " as YAML: " + e.getOriginalMessage(), e);
        }
    }

    /** A value as indented JSON text. */
    public static String toJson(Object value) {
        return JsonMappers.write(value);
    }

    private static String path(JsonProcessingException e) {
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()) {
            return m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
        }
        return "(top level)";
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t instanceof JsonProcessingException j ? j.getOriginalMessage() : t.getMessage();
        return m == null ? "" : ": " + m;
    }
}
