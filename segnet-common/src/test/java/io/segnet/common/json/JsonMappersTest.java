package io.segnet.common.json;

import com.fasterxml.jackson.annotation.JsonTypeName;
import com.fasterxml.jackson.core.JsonProcessingException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonMappersTest {

    record Point(int x, double y) {
        Point {
            if (x < 0) {
                throw new IllegalArgumentException("x must be >= 0, got " + x);
            }
        }
    }

    @JsonTypeName("tagged")
    record Tagged(int n) {
    }

    @Test
    void jsonIsIndentedAndYamlHasNoDocumentMarker() throws JsonProcessingException {
        assertEquals("{\n  \"x\" : 1,\n  \"y\" : 2.5\n}", JsonMappers.write(new Point(1, 2.5)));
        assertEquals("x: 1\n\"y\": 2.5\n", JsonMappers.YAML.writeValueAsString(new Point(1, 2.5)));
        assertEquals("{\"x\":1,\"y\":\"NaN\"}", JsonMappers.jsonLinesWriter().writeValueAsString(new Point(1, Double.NaN)));
    }

    @Test
    void unknownFieldsAreErrorsAndAbsentPrimitivesDefaultUnlessCompletenessIsAsked() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> JsonMappers.read("{\"x\": 1, \"y\": 2, \"z\": 3}", Point.class));
        assertTrue(unknown.getMessage().contains("\"z\""), unknown.getMessage());
        assertEquals(new Point(0, 2), JsonMappers.read("{\"y\": 2}", Point.class));
        assertThrows(JsonProcessingException.class,
                () -> JsonMappers.completeReader(Point.class).readValue("{\"x\": null, \"y\": 2}"));
        assertThrows(JsonProcessingException.class,
                () -> JsonMappers.completeReader(Point.class).readValue("{\"y\": 2}"));
    }

    @Test
    void aRecordThatRejectsItsValuesReportsItsOwnMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JsonMappers.read("{\"x\": -1, \"y\": 2}", Point.class));
        assertEquals("invalid Point JSON: x must be >= 0, got -1", e.getMessage());
    }

    @Test
    void theTolerantReaderSkipsUnknownFields() throws JsonProcessingException {
        Point p = JsonMappers.tolerantReader(Point.class).readValue("{\"x\": null, \"y\": 2, \"later\": true}");
        assertEquals(new Point(0, 2), p);
    }

    @Test
    void typeNameIsTheClassesJsonTypeName() {
        assertEquals("tagged", JsonMappers.typeName(new Tagged(1)));
        assertThrows(IllegalStateException.class, () -> JsonMappers.typeName(new Point(1, 1)));
    }
}
