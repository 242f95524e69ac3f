package io.segnet.examples;

import io.segnet.data.Sample;
import io.segnet.data.dataset.InMemorySource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ExamplesTest {

    @Test
    void repeatedSourcesCycleThroughTheirSamples() {
        Sample a = Sample.of("a", 1, 1, 1, new float[]{0}, new int[]{0});
        Sample b = Sample.of("b", 1, 1, 1, new float[]{1}, new int[]{1});
        var base = InMemorySource.of(List.of(a, b), 2, List.of("x", "y"));
        var r = new MembraneUNet.Repeated(base, 3);
        assertEquals(6, r.size());
        assertEquals(b, r.get(5));
        assertEquals("a", r.id(4));
        assertThrows(IndexOutOfBoundsException.class, () -> r.get(6));
        assertThrows(IllegalArgumentException.class, () -> new MembraneUNet.Repeated(base, 0));
    }
}
