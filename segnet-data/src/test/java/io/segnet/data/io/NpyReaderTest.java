package io.segnet.data.io;

import io.segnet.data.DataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NpyReaderTest {

    @TempDir
    Path dir;

    /**
     * Writes an NPY file as numpy.lib.format documents it: magic, version, little-endian header length, then
     * the header dict padded with spaces and a final newline so that the data starts at a multiple of 64.
     */
    static Path writeNpy(Path file, int major, String descr, boolean fortran, long[] shape, byte[] data)
            throws IOException {
        StringBuilder sh = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sh.append(i > 0 ? ", " : "").append(shape[i]);
        }
        sh.append(shape.length == 1 ? ",)" : ")");
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': "
                + sh + ", }";
        int lenBytes = major == 1 ? 2 : 4;
        int preamble = 6 + 2 + lenBytes;
        int total = preamble + dict.length() + 1;
        int padded = (total + 63) / 64 * 64;
        String header = dict + " ".repeat(padded - total) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        ByteBuffer len = ByteBuffer.allocate(lenBytes).order(ByteOrder.LITTLE_ENDIAN);
        if (major == 1) {
            len.putShort((short) header.length());
        } else {
            len.putInt(header.length());
        }
        out.write(len.array());
        out.write(header.getBytes(StandardCharsets.ISO_8859_1));
        out.write(data);
        return Files.write(file, out.toByteArray());
    }

    @Test
    void readsUint8Version1() throws Exception {
        Path f = writeNpy(dir.resolve("u1.npy"), 1, "|u1", false, new long[]{2, 3}, new byte[]{0, 1, 2, (byte) 200, 4, (byte) 255});
        NpyReader.Contents c = NpyReader.readAll(f);
        assertArrayEquals(new long[]{2, 3}, c.header().shape());
        assertEquals("(2, 3)", c.header().shapeString());
        assertArrayEquals(new double[]{0, 1, 2, 200, 4, 255}, c.data());
    }

    @Test
    void readsFloat32LittleAndInt16BigEndianAndInt64AndBool() throws Exception {
        ByteBuffer f4 = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-2f).putFloat(0.25f);
        assertArrayEquals(new double[]{1.5, -2, 0.25},
                NpyReader.readAll(writeNpy(dir.resolve("f4.npy"), 1, "<f4", false, new long[]{3}, f4.array())).data());
        ByteBuffer i2 = ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putShort((short) -300).putShort((short) 7);
        assertArrayEquals(new double[]{-300, 7},
                NpyReader.readAll(writeNpy(dir.resolve("i2.npy"), 1, ">i2", false, new long[]{2}, i2.array())).data());
        ByteBuffer i8 = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(5_000_000_000L).putLong(-1);
        assertArrayEquals(new double[]{5e9, -1},
                NpyReader.readAll(writeNpy(dir.resolve("i8.npy"), 1, "<i8", false, new long[]{2}, i8.array())).data());
        assertArrayEquals(new double[]{1, 0, 1},
                NpyReader.readAll(writeNpy(dir.resolve("b.npy"), 1, "|b1", false, new long[]{3}, new byte[]{1, 0, 1})).data());
    }

    @Test
    void readsVersion2HeaderAndStreamsSlices() throws Exception {
        byte[] data = new byte[24];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        Path f = writeNpy(dir.resolve("v2.npy"), 2, "|u1", false, new long[]{2, 3, 4}, data);
        try (NpyReader r = NpyReader.open(f)) {
            assertEquals(24, r.header().count());
            double[] slice = new double[12];
            r.read(slice, 0, 12);
            r.read(slice, 0, 12);
            assertEquals(12, slice[0]);
            assertEquals(23, slice[11]);
            assertEquals(0, r.remaining());
        }
    }

    @Test
    void truncatedDataNamesTheFileAndHowFarItGot() throws Exception {
        Path f = writeNpy(dir.resolve("cut.npy"), 1, "<f4", false, new long[]{4}, new byte[9]);
        DataException e = assertThrows(DataException.class, () -> NpyReader.readAll(f));
        assertTrue(e.getMessage().contains("cut.npy: file ends after 2 of 4 elements of shape (4,): it is truncated"),
                e.getMessage());
    }

    @Test
    void rejectsNonNpyFortranOrderAndUnsupportedTypes() throws Exception {
        Path txt = Files.writeString(dir.resolve("x.npy"), "hello");
        assertTrue(assertThrows(DataException.class, () -> NpyReader.open(txt)).getMessage().contains("not a NumPy .npy file"));
        Path fortran = writeNpy(dir.resolve("f.npy"), 1, "<f4", true, new long[]{2, 2}, new byte[16]);
        assertTrue(assertThrows(DataException.class, () -> NpyReader.open(fortran)).getMessage()
                .contains("numpy.ascontiguousarray"));
        Path complex = writeNpy(dir.resolve("c.npy"), 1, "<c8", false, new long[]{1}, new byte[8]);
        assertTrue(assertThrows(DataException.class, () -> NpyReader.open(complex)).getMessage()
                .contains("element type '<c8' is not supported"));
        byte[] half = new byte[2];
        Path f2 = writeNpy(dir.resolve("h.npy"), 1, "<f2", false, new long[]{1}, half);
        assertTrue(assertThrows(DataException.class, () -> NpyReader.open(f2)).getMessage().contains("'<f2'"));
    }
}
