package io.segnet.common.json;

import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.util.ServiceLoader;

/**
 * The one place that configures Jackson for segnet's files (configs, model cards, metric reports, run settings,
 * colour tables, metrics logs). Both mappers share one configuration:
 * <ul>
 *   <li>unknown fields are errors ({@code FAIL_ON_UNKNOWN_PROPERTIES}): a typo in a config fails at once, naming the
 *       field;</li>
 *   <li>an absent or {@code null} primitive field reads as its Java default (0, false), so a config file need not
 *       name every field; where every value must be given (settings laid over defaults, metric reports), read with
 *       {@link #completeReader(Class)}, which fails instead;</li>
 *   <li>output is indented ({@code INDENT_OUTPUT}); NaN and infinities are Jackson's defaults (written as the strings
 *       {@code "NaN"}, {@code "Infinity"}, read back from them); records are read through their canonical
 *       constructor, so a record that rejects its values reports its own message;</li>
 *   <li>the polymorphic types that modules list as {@link NamedSubtypes} are registered.</li>
 * </ul>
 * The YAML mapper writes no {@code ---} document marker and quotes strings only where YAML needs it.
 *
 * <p>Use the mappers as they are; where a file needs something else, derive a reader or writer (immutable, shared)
 * from {@link #JSON}: {@link #jsonLinesWriter()}, {@link #completeReader(Class)} and {@link #tolerantReader(Class)}.
 */
public final class JsonMappers {

    /** JSON with the shared configuration. */
    public static final ObjectMapper JSON = configure(new ObjectMapper());
    /** YAML with the shared configuration, without the {@code ---} document marker. */
    public static final ObjectMapper YAML = configure(new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)));

    private static final ObjectWriter JSON_LINES = JSON.writer().without(SerializationFeature.INDENT_OUTPUT);

    private JsonMappers() {
    }

    private static ObjectMapper configure(ObjectMapper m) {
        m.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(SerializationFeature.INDENT_OUTPUT);
        for (NamedSubtypes registry : ServiceLoader.load(NamedSubtypes.class, JsonMappers.class.getClassLoader())) {
            m.registerSubtypes(registry.subtypes().toArray(Class<?>[]::new));
        }
        return m;
    }

    /** One-line JSON (no indentation), for JSON-lines files. */
    public static ObjectWriter jsonLinesWriter() {
        return JSON_LINES;
    }

    /**
     * A reader of {@code type} that also fails on an absent or {@code null} primitive field
     * ({@code FAIL_ON_NULL_FOR_PRIMITIVES}): for values that must be complete (settings laid over their defaults,
     * metric reports), where a missing number is an error rather than 0.
     */
    public static ObjectReader completeReader(Class<?> type) {
        return JSON.readerFor(type).with(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    /**
     * A reader of {@code type} that skips unknown fields: for files written by other versions (a log that later
     * versions add fields to), not for settings.
     */
    public static ObjectReader tolerantReader(Class<?> type) {
        return JSON.readerFor(type).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** {@code value} as indented JSON. */
    public static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Reads a {@code type} from JSON.
     *
     * @throws IllegalArgumentException if the JSON is malformed, names an unknown field or type tag, or holds values the
     *                                  record rejects (with the record's message)
     */
    public static <T> T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalArgumentException("invalid " + type.getSimpleName() + " JSON: " + cause.getMessage(), e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot read " + type.getSimpleName() + " JSON: " + e.getOriginalMessage()
                    + " (at " + e.getLocation() + ")", e);
        }
    }

    /**
     * The {@code @JsonTypeName} of a value's class, e.g. {@code "unet"}.
     *
     * @throws IllegalStateException if the class has none
     */
    public static String typeName(Object value) {
        JsonTypeName name = value.getClass().getAnnotation(JsonTypeName.class);
        if (name == null) {
            throw new IllegalStateException(value.getClass().getName() + " has no type tag (@JsonTypeName)");
        }
        return name.value();
    }
}
