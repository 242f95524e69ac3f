package io.segnet.data.m2nist;

import io.segnet.data.DataException;
import io.segnet.data.Sample;
import io.segnet.data.dataset.InMemorySource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class M2nistFilesTest {

    @TempDir
    Path dir;

    /** An NPY v1.0 file, header padded to 64 bytes as numpy.save writes it. */
    static Path npy(Path file, String descr, String shape, byte[] data) throws Exception {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int total = 10 + dict.length() + 1;
        String header = dict + " ".repeat((total + 63) / 64 * 64 - total) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.write(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) header.length()).array());
        out.write(header.getBytes(StandardCharsets.ISO_8859_1));
        out.write(data);
        return Files.write(file, out.toByteArray());
    }

    @Test
    void readsCombinedAndOneHotSegmentedAsTheGeneratorWouldWriteThem() throws Exception {
        M2nistGenerator gen = M2nistGenerator.of(2, 3);
        int plane = 64 * 84;
        byte[] images = new byte[3 * plane];
        byte[] oneHot = new byte[3 * plane * 11];
        for (int s = 0; s < 3; s++) {
            Sample sample = gen.get(s);
            for (int p = 0; p < plane; p++) {
                images[s * plane + p] = (byte) Math.round(sample.image()[p] * 255);
                oneHot[(s * plane + p) * 11 + sample.mask()[p]] = 1;
            }
        }
        oneHot[5 * 11 + 10] = 0; // image 0, pixel 5: no channel set
        Path combined = npy(dir.resolve("combined.npy"), "|u1", "(3, 64, 84)", images);
        Path segmented = npy(dir.resolve("segmented.npy"), "|u1", "(3, 64, 84, 11)", oneHot);
        InMemorySource src = M2nistFiles.read(combined, segmented);
        assertEquals(3, src.size());
        assertEquals(11, src.numClasses());
        assertEquals(M2nistGenerator.CLASS_NAMES, src.classNames());
        for (int s = 0; s < 3; s++) {
            Sample expected = gen.get(s);
            Sample got = src.get(s);
            assertArrayEquals(expected.image(), got.image());
            int[] mask = expected.mask().clone();
            if (s == 0) {
                assertEquals(10, mask[5]);
                mask[5] = 255;
            }
            assertArrayEquals(mask, got.mask());
        }
    }

    @Test
    void mismatchedShapesNameTheFiles() throws Exception {
        Path combined = npy(dir.resolve("combined.npy"), "|u1", "(2, 4, 5)", new byte[40]);
        Path segmented = npy(dir.resolve("segmented.npy"), "|u1", "(3, 4, 5, 11)", new byte[3 * 20 * 11]);
        DataException e = assertThrows(DataException.class, () -> M2nistFiles.read(combined, segmented));
        assertTrue(e.getMessage().startsWith(segmented + ": masks have shape (3, 4, 5, 11) but the images combined.npy"
                + " have (2, 4, 5); expected (2, 4, 5, 11)"), e.getMessage());
        Path flat = npy(dir.resolve("flat.npy"), "|u1", "(40,)", new byte[40]);
        DataException f = assertThrows(DataException.class, () -> M2nistFiles.read(flat, segmented));
        assertTrue(f.getMessage().contains("expected (N, H, W)"), f.getMessage());
    }
}
