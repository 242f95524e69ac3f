package io.segnet.metrics;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * Jackson (de)serializers that write a {@code NaN} score as JSON {@code null} and read {@code null} back as
 * {@code NaN}.
 *
 * <p>Why null: JSON has no NaN. Jackson's default writes the string {@code "NaN"}, which most readers take for a
 * string, and its non-standard bare {@code NaN} is rejected by strict parsers. {@code null} is valid JSON everywhere
 * and reads back as {@code None} in Python ({@code NaN} in pandas); segnet uses NaN for exactly one thing, "no value"
 * (a class with nothing to score), which is what {@code null} says. Infinite values never occur in a score and are
 * written as Jackson writes them. On reading, a number, {@code null}, or the string {@code "NaN"} is accepted.
 */
public final class NanAsNull {

    private NanAsNull() {
    }

    /** Writes NaN as {@code null}, any other value as a JSON number. */
    public static final class Serializer extends StdSerializer<Double> {
        private static final long serialVersionUID = 1L;

        /** Used by Jackson through {@code @JsonSerialize(using = NanAsNull.Serializer.class)}. */
        public Serializer() {
            super(Double.class);
        }

        @Override
        public void serialize(Double value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (value == null || value.isNaN()) {
                gen.writeNull();
            } else {
                gen.writeNumber(value);
            }
        }
    }

    /** Reads {@code null} (and the string {@code "NaN"}) as NaN, a JSON number as its value. */
    public static final class Deserializer extends StdDeserializer<Double> {
        private static final long serialVersionUID = 1L;

        /** Used by Jackson through {@code @JsonDeserialize(using = NanAsNull.Deserializer.class)}. */
        public Deserializer() {
            super(Double.class);
        }

        @Override
        public Double deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken token = p.currentToken();
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                return p.getDoubleValue();
            }
            if (token == JsonToken.VALUE_STRING && "NaN".equals(p.getText())) {
                return Double.NaN;
            }
            if (token == JsonToken.VALUE_NULL) {
                return Double.NaN;
            }
            return (Double) ctxt.handleUnexpectedToken(Double.class, p);
        }

        @Override
        public Double getNullValue(DeserializationContext ctxt) {
            return Double.NaN;
        }
    }
}
