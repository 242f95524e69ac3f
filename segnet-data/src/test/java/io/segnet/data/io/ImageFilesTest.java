package io.segnet.data.io;

import io.segnet.data.DataException;
import io.segnet.data.DataProblem;
import io.segnet.data.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageFilesTest {

    @TempDir
    Path dir;

    /**
     * Writing replaces the file in one step (a new file renamed over it, as every segnet write) instead of writing
     * into it: a second name of the old file keeps the old content, and no temporary file stays.
     */
    @Test
    void writeGrayPngReplacesTheFileAtomically() throws Exception {
        Path f = dir.resolve("m.png");
        ImageFiles.writeGrayPng(f, 1, 2, new byte[]{1, 2});
        Path oldName = dir.resolve("old.png");
        Files.createLink(oldName, f);
        ImageFiles.writeGrayPng(f, 1, 2, new byte[]{7, 9});
        assertEquals(7 / 255f, ImageFiles.readImage(f, 0).data()[0]);
        assertEquals(1 / 255f, ImageFiles.readImage(oldName, 0).data()[0], "the old file was not written into");
        try (var s = Files.list(dir)) {
            assertEquals(2, s.count(), "no temporary file stays");
        }
    }

    @Test
    void gray8PngIsOneChannelScaledBy255() {
        Path f = TestImages.gray8(dir.resolve("g.png"), 3, 5, (y, x) -> y * 50 + x);
        ImagePixels p = ImageFiles.readImage(f, 0);
        assertEquals(1, p.channels());
        assertEquals(3, p.height());
        assertEquals(5, p.width());
        assertEquals((2 * 50 + 4) / 255f, p.data()[2 * 5 + 4]);
        assertEquals(0f, p.data()[0]);
    }

    @Test
    void gray16PngIsScaledBy65535() {
        Path f = TestImages.gray16(dir.resolve("g16.png"), 2, 2, (y, x) -> y == 1 && x == 1 ? 65535 : 300 * (y + x));
        ImagePixels p = ImageFiles.readImage(f, 0);
        assertEquals(1, p.channels());
        assertEquals(1f, p.data()[3]);
        assertEquals(300 / 65535f, p.data()[1], 1e-9);
    }

    @Test
    void rgbPngAndBmpAreChannelMajor() {
        for (String fmt : new String[]{"png", "bmp"}) {
            Path f = TestImages.rgb(dir.resolve("c." + fmt), 2, 3, (y, x) -> (10 * x) << 16 | (20 * y) << 8 | 7, fmt);
            ImagePixels p = ImageFiles.readImage(f, 0);
            assertEquals(3, p.channels(), fmt);
            int n = 6;
            int i = 1 * 3 + 2; // y=1, x=2
            assertEquals(20 / 255f, p.data()[i], fmt);          // red = 10*x
            assertEquals(20 / 255f, p.data()[n + i], fmt);      // green = 20*y
            assertEquals(7 / 255f, p.data()[2 * n + i], fmt);   // blue
        }
    }

    @Test
    void jpegIsReadApproximately() {
        Path f = TestImages.rgb(dir.resolve("c.jpg"), 16, 16, (y, x) -> 0x808080, "jpg");
        ImagePixels p = ImageFiles.readImage(f, 0);
        assertEquals(3, p.channels());
        for (float v : p.data()) {
            assertEquals(128 / 255f, v, 0.02);
        }
    }

    @Test
    void palettePngImageExpandsToColoursOrGray() {
        Path colour = TestImages.palette(dir.resolve("p.png"), 1, 2, new int[]{0xFF0000, 0x00FF00}, (y, x) -> x);
        ImagePixels p = ImageFiles.readImage(colour, 0);
        assertEquals(3, p.channels());
        assertEquals(1f, p.data()[0]);       // red channel of pixel 0
        assertEquals(1f, p.data()[2 + 1]);   // green channel of pixel 1
        Path gray = TestImages.palette(dir.resolve("pg.png"), 1, 2, new int[]{0x000000, 0x646464}, (y, x) -> x);
        ImagePixels g = ImageFiles.readImage(gray, 0);
        assertEquals(1, g.channels());
        assertEquals(100 / 255f, g.data()[1]);
    }

    @Test
    void channelConversionReplicatesGrayAndUsesLuma() {
        Path gray = TestImages.gray8(dir.resolve("g.png"), 1, 1, (y, x) -> 51);
        ImagePixels three = ImageFiles.readImage(gray, 3);
        assertEquals(3, three.channels());
        assertTrue(Arrays.equals(new float[]{0.2f, 0.2f, 0.2f}, three.data()));
        Path red = TestImages.rgb(dir.resolve("r.png"), 1, 1, (y, x) -> 0xFF0000, "png");
        ImagePixels one = ImageFiles.readImage(red, 1);
        assertEquals(1, one.channels());
        assertEquals(0.299f, one.data()[0], 1e-6);
    }

    @Test
    void corruptBytesNameTheFileAndSayWhatToDo() {
        Path f = TestImages.bytes(dir.resolve("noise.png"), "this is not a PNG at all".getBytes(StandardCharsets.US_ASCII));
        DataException e = assertThrows(DataException.class, () -> ImageFiles.readImage(f, 0));
        assertEquals(DataProblem.Kind.UNREADABLE, e.problem().kind());
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("save it as PNG"), e.getMessage());
    }

    @Test
    void truncatedPngIsReportedAsCorrupt() throws Exception {
        Path good = TestImages.gray8(dir.resolve("full.png"), 64, 64, (y, x) -> (x * 7 + y * 13) & 0xFF);
        byte[] all = Files.readAllBytes(good);
        Path cut = TestImages.bytes(dir.resolve("cut.png"), Arrays.copyOf(all, all.length / 2));
        DataException e = assertThrows(DataException.class, () -> ImageFiles.readImage(cut, 0));
        assertEquals(DataProblem.Kind.UNREADABLE, e.problem().kind());
        assertTrue(e.getMessage().contains("cut.png") && e.getMessage().contains("corrupt or truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("re-export"), e.getMessage());
    }

    @Test
    void truncatedJpegIsReportedAsCorrupt() throws Exception {
        Path good = TestImages.rgb(dir.resolve("full.jpg"), 64, 64, (y, x) -> (x * 4) << 16 | (y * 4) << 8 | (x ^ y), "jpg");
        byte[] all = Files.readAllBytes(good);
        Path cut = TestImages.bytes(dir.resolve("cut.jpg"), Arrays.copyOf(all, all.length * 2 / 3));
        DataException e = assertThrows(DataException.class, () -> ImageFiles.readImage(cut, 0));
        assertEquals(DataProblem.Kind.UNREADABLE, e.problem().kind());
        assertTrue(e.getMessage().startsWith(cut + ": corrupt or truncated"), e.getMessage());
    }

    @Test
    void emptyAndMissingFilesAreNamed() {
        Path empty = TestImages.bytes(dir.resolve("empty.png"), new byte[0]);
        DataException e = assertThrows(DataException.class, () -> ImageFiles.readImage(empty, 0));
        assertTrue(e.getMessage().contains("empty.png: file is empty (0 bytes)"), e.getMessage());
        DataException m = assertThrows(DataException.class, () -> ImageFiles.readImage(dir.resolve("nope.png"), 0));
        assertTrue(m.getMessage().contains("nope.png: file does not exist"), m.getMessage());
    }

    @Test
    void stemsAndExtensions() {
        assertEquals("17", ImageFiles.stem(Path.of("a/17.png")));
        assertEquals("x.y", ImageFiles.stem(Path.of("x.y.JPG")));
        assertTrue(ImageFiles.isImageFile(Path.of("a.JPEG")));
        assertTrue(!ImageFiles.isImageFile(Path.of(".hidden.png")));
        assertTrue(!ImageFiles.isImageFile(Path.of("notes.txt")));
    }
}
