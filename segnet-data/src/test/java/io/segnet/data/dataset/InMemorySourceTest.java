package io.segnet.data.dataset;

import io.segnet.data.Sample;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class InMemorySourceTest {

    private static Sample sample(String id, float[] image, int[] mask) {
        return new Sample(id, 1, 2, 3, image, mask, Sample.DEFAULT_IGNORE);
    }

    @Test
    void eightBitImagesAndByteMasksAreHeldAsBytesAndServedExactly() {
        float[] image = new float[6];
        int[] mask = {0, 1, 58, 255, 2, 0};
        for (int i = 0; i < 6; i++) {
            image[i] = (i * 51) / 255f; // as ImageFiles decodes 8-bit pixels
        }
        InMemorySource held = InMemorySource.load(InMemorySource.of(List.of(sample("a", image, mask)), 59,
                java.util.Collections.nCopies(59, "c")), 1);
        assertEquals(12, held.heldBytes(), "one byte per pixel and per mask value");
        Sample back = held.get(0);
        assertArrayEquals(image, back.image());
        assertArrayEquals(mask, back.mask());
        assertEquals("a", held.id(0));
    }

    @Test
    void otherValuesAreKeptAsTheyAre() {
        float[] image = {0.5f, -1.25f, 0f, 1f, Float.NaN, 0.2f}; // normalised or 16-bit values are not k / 255
        int[] mask = {0, 1, 300, 2, 1, 0};                         // a value above 255
        InMemorySource held = InMemorySource.of(List.of(sample("b", image, mask), sample("c", image, null)), 301,
                java.util.Collections.nCopies(301, "c"));
        assertEquals(4 * 6 + 4 * 6 + 4 * 6, held.heldBytes());
        assertArrayEquals(image, held.get(0).image());
        assertArrayEquals(mask, held.get(0).mask());
        assertEquals(null, held.get(1).mask());
    }
}
