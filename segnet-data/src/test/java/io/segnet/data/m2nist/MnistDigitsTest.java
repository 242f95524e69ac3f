package io.segnet.data.m2nist;

import io.segnet.data.DataException;
import io.segnet.data.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MnistDigitsTest {

    @TempDir
    Path dir;

    @Test
    void bundledTestSetHasTheKnownLabelCounts() {
        MnistDigits d = MnistDigits.testSet();
        assertEquals(10_000, d.size());
        int[] counts = new int[10];
        for (int i = 0; i < d.size(); i++) {
            counts[d.label(i)]++;
        }
        // the published class distribution of the MNIST test set
        assertArrayEquals(new int[]{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, counts);
        assertEquals(7, d.label(0));
        assertEquals(2, d.label(1));
        int ink = 0;
        for (byte b : d.digit(0)) {
            ink += b != 0 ? 1 : 0;
        }
        assertTrue(ink > 50 && ink < 300, "nonzero pixels of the first digit: " + ink);
        assertEquals(0, d.pixel(0, 0, 0));
    }

    @Test
    void wrongFilesAreNamed() {
        Path notIdx = TestImages.bytes(dir.resolve("x-idx3-ubyte"), new byte[]{0, 0, 8, 1, 0, 0, 0, 0});
        Path labels = TestImages.bytes(dir.resolve("l-idx1-ubyte"), new byte[]{0, 0, 8, 1, 0, 0, 0, 0});
        DataException e = assertThrows(DataException.class, () -> MnistDigits.read(notIdx, labels));
        assertTrue(e.getMessage().startsWith(notIdx + ": IDX magic number is 0x00000801, expected 0x00000803"),
                e.getMessage());
        Path truncated = TestImages.bytes(dir.resolve("t-idx3-ubyte"), new byte[]{0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28,
                0, 0, 0, 28, 1, 2, 3});
        DataException t = assertThrows(DataException.class, () -> MnistDigits.read(truncated, labels));
        assertTrue(t.getMessage().contains("truncated"), t.getMessage());
    }
}
