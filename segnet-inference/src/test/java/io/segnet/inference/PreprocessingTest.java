package io.segnet.inference;

import io.segnet.common.json.JsonMappers;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PreprocessingTest {

    @Test
    void checkpointsWithoutAnInputSizeReadAsBeforeAndWriteNoNewFields() throws IOException {
        Preprocessing old = JsonMappers.JSON.readValue("{\"mean\": [0.5], \"std\": [0.25]}", Preprocessing.class);
        assertEquals(Preprocessing.normalize(0.5, 0.25), old);
        assertNull(old.scale());
        assertFalse(old.resizes());
        assertEquals("{\"mean\":[0.5],\"std\":[0.25]}", JsonMappers.jsonLinesWriter().writeValueAsString(old));
        assertArrayEquals(new int[]{7, 9}, old.inputSize(7, 9));
    }

    @Test
    void scaleAndResizeGiveTheModelsInputSize() throws IOException {
        Preprocessing half = Preprocessing.normalize(0.5, 0.25).withScale(0.5);
        assertArrayEquals(new int[]{413, 275}, half.inputSize(825, 550), "rounded");
        assertEquals(half, JsonMappers.JSON.readValue(JsonMappers.JSON.writeValueAsString(half),
                Preprocessing.class));
        Preprocessing fixed = new Preprocessing(List.of(), List.of(), null, List.of(64, 96));
        assertArrayEquals(new int[]{64, 96}, fixed.inputSize(825, 550));
        assertTrue(fixed.resizes() && !fixed.isNone());
        assertNull(Preprocessing.none().withScale(1.0).scale(), "scale 1 is no scaling");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Preprocessing(List.of(), List.of(), 0.5, List.of(64, 96)));
        assertTrue(e.getMessage().contains("either --scale or --resize"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Preprocessing.none().withScale(-1.0));
        assertTrue(e.getMessage().contains("--scale (YAML data.scale)"), e.getMessage());
    }
}
