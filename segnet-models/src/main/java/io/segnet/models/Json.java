package io.segnet.models;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

/**
 * The Jackson mapper for configs and model cards: indented output, unknown fields are errors (a typo in a config
 * fails at once, naming the field), and a record that rejects its values reports the record's own message.
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Json() {
    }

    /** {@code value} as indented JSON. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
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
            return MAPPER.readValue(json, type);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalArgumentException("invalid " + type.getSimpleName() + " JSON: " + cause.getMessage(), e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot read " + type.getSimpleName() + " JSON: " + e.getOriginalMessage()
                    + " (at " + e.getLocation() + ")", e);
        }
    }

    /** The {@code @JsonSubTypes} name of a config or encoder config object, e.g. {@code "unet"}. */
    public static String typeName(Object value) {
        for (Class<?> i : value.getClass().getInterfaces()) {
            JsonSubTypes sub = i.getAnnotation(JsonSubTypes.class);
            if (sub != null) {
                for (JsonSubTypes.Type t : sub.value()) {
                    if (t.value() == value.getClass()) {
                        return t.name();
                    }
                }
            }
        }
        throw new IllegalStateException(value.getClass().getName() + " has no type tag");
    }
}
