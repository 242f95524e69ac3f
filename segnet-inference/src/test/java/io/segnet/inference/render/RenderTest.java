package io.segnet.inference.render;

import io.segnet.data.io.ImagePixels;
import io.segnet.data.io.MaskFiles;
import io.segnet.data.io.MaskFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RenderTest {

    @TempDir
    Path dir;

    private static int[] map(int h, int w) {
        int[] m = new int[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                m[y * w + x] = x < w / 2 ? 0 : (y < h / 2 ? 1 : 2);
            }
        }
        return m;
    }

    @Test
    void vocPaletteStartsBlackDarkRedDarkGreen() {
        Palette p = Palette.voc(21);
        assertEquals(0x000000, p.rgb(0));
        assertEquals(0x800000, p.rgb(1));
        assertEquals(0x008000, p.rgb(2));
        assertEquals(0x808000, p.rgb(3));
        assertEquals(0x000080, p.rgb(4));
        assertEquals(0x408000, p.rgb(10), "class 10 is (64, 128, 0)");
        assertEquals(256, Palette.voc(256).colors().stream().distinct().count(), "256 distinct colours");
        assertThrows(IllegalArgumentException.class, () -> p.rgb(21));
        Palette t = Palette.tab10(List.of(0x000000));
        assertEquals(11, t.size());
        assertEquals(0x1f77b4, t.rgb(0));
        assertEquals(0x000000, t.rgb(10));
    }

    /**
     * The readable palette (issue 17): every colour at mid-high lightness (visible on dark and light images, unlike
     * VOC's black, navy and dark red), and colours apart: the closest pair among 21 classes (PASCAL VOC's count) is
     * further apart in OKLab than 0.05 (measured 0.055; about 5 just-noticeable differences, and neighbouring class
     * ids also differ in lightness); OKLCH to sRGB matches known values.
     */
    @Test
    void readablePaletteHasDistinctColoursAtGoodLightness() {
        assertEquals(0xFFFFFF, Palette.oklchToRgb(1.0, 0, 0));
        assertEquals(0x000000, Palette.oklchToRgb(0.0, 0, 0));
        assertEquals(-1, Palette.oklchToRgb(0.7, 0.4, 0), "far outside sRGB");
        for (int n : new int[]{2, 21, 59}) {
            Palette p = Palette.readable(n);
            assertEquals(n, p.colors().stream().distinct().count(), n + " distinct colours");
            double closest = Double.MAX_VALUE;
            for (int i = 0; i < n; i++) {
                double l = Palette.oklabLightness(p.rgb(i));
                assertTrue(l >= 0.65 && l <= 0.87, "class " + i + " lightness " + l);
                for (int j = 0; j < i; j++) {
                    double[] a = Palette.oklab(p.rgb(i)), b = Palette.oklab(p.rgb(j));
                    double d = Math.sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1])
                            + (a[2] - b[2]) * (a[2] - b[2]));
                    closest = Math.min(closest, d);
                }
            }
            if (n <= 21) {
                assertTrue(closest > 0.05, n + " classes: closest pair " + closest);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Palette.readable(0));
    }

    @Test
    void indexAndColourPngsReadBackAsTheClassIds() throws IOException {
        int[] m = map(6, 10);
        Path index = dir.resolve("index.png");
        Path color = dir.resolve("color.png");
        MaskImages.writeIndexPng(index, m, 6, 10, false);
        MaskImages.writeColorPng(color, m, 6, 10, Palette.voc(3), false);
        assertArrayEquals(m, MaskFiles.read(index, MaskFormat.index(), 3, 255).classes());
        assertArrayEquals(m, MaskFiles.read(color, MaskFormat.index(), 3, 255).classes(),
                "a palette PNG's raw values are the class ids");
        BufferedImage c = ImageIO.read(color.toFile());
        assertInstanceOf(IndexColorModel.class, c.getColorModel());
        assertEquals(0x800000, c.getRGB(9, 0) & 0xFFFFFF);
        assertThrows(FileAlreadyExistsException.class, () -> MaskImages.writeIndexPng(index, m, 6, 10, false));
        int[] big = new int[4];
        big[3] = 300;
        BufferedImage sixteen = MaskImages.toIndexImage(big, 2, 2);
        assertEquals(BufferedImage.TYPE_USHORT_GRAY, sixteen.getType());
    }

    @Test
    void overlayBlendsColoursAndDrawsALegend() throws IOException {
        int h = 20, w = 30;
        float[] gray = new float[h * w];
        java.util.Arrays.fill(gray, 1f);
        ImagePixels img = new ImagePixels(1, h, w, gray);
        int[] m = map(h, w);
        Palette palette = new Palette(List.of(0x000000, 0xFF0000, 0x0000FF));
        Path out = dir.resolve("overlay.png");
        Overlay.write(out, img, m, palette, List.of("background", "cat", "dog"),
                Overlay.Style.defaults().withBackgroundClass(0), false);
        BufferedImage o = ImageIO.read(out.toFile());
        int scale = Math.min(8, (256 + h - 1) / h);
        assertEquals(h * scale, o.getHeight());
        assertTrue(o.getWidth() > w * scale, "a legend panel is drawn to the right");
        assertEquals(0xFFFFFF, o.getRGB(0, 0) & 0xFFFFFF, "the background class is left as the image");
        assertEquals(0xFF8080, o.getRGB((w - 1) * scale, 0) & 0xFFFFFF, "white blended with red at alpha 0.5");
        assertEquals(0x8080FF, o.getRGB((w - 1) * scale, (h - 1) * scale) & 0xFFFFFF);
        int swatchX = w * scale + 8 + 6;
        assertEquals(0xFF0000, o.getRGB(swatchX, 8 + 6) & 0xFFFFFF, "first legend swatch: class 1 (cat)");
        boolean text = false;
        for (int y = 8; y < 8 + 12; y++) {
            for (int x = swatchX + 20; x < o.getWidth(); x++) {
                text |= (o.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF;
            }
        }
        assertTrue(text, "the class name is written next to its swatch");
    }

    @Test
    void overlayRejectsMismatchedInputs() {
        ImagePixels img = new ImagePixels(1, 2, 2, new float[4]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Overlay.render(img,
                new int[]{0, 1, 2, 5}, Palette.voc(6), List.of("a", "b", "c"), Overlay.Style.defaults()));
        assertTrue(e.getMessage().contains("class 5 but only 3 class names"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Overlay.render(img, new int[3], Palette.voc(2),
                List.of("a", "b"), Overlay.Style.defaults()));
        assertTrue(e.getMessage().contains("does not match 2x2"), e.getMessage());
    }
}
