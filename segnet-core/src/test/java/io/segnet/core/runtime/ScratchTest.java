package io.segnet.core.runtime;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScratchTest {

    @Test
    void floatRowsAreDistinctArraysThatGrowAndAreReused() {
        float[][] small = Scratch.floatRows(3, 5);
        assertTrue(small.length >= 3, "rows: " + small.length);
        for (int r = 0; r < 3; r++) {
            assertTrue(small[r].length >= 5, "row " + r + " length " + small[r].length);
        }
        assertNotSame(small[0], small[1], "each row is its own array, indexed from 0");
        float[][] wide = Scratch.floatRows(2, 40);
        assertTrue(wide.length >= 3 && wide[0].length >= 40, "growing keeps the larger of both sizes");
        assertSame(wide, Scratch.floatRows(3, 40), "steady state allocates nothing");
        assertNotSame(Scratch.floats(0, 5), wide[0], "independent of the slots");
    }
}
