package io.segnet.data.io;

import io.segnet.data.DataException;
import io.segnet.data.DataProblem;
import io.segnet.data.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MaskFilesTest {

    @TempDir
    Path dir;

    @Test
    void indexPngValuesAreClasses() {
        Path f = TestImages.gray8(dir.resolve("m.png"), 2, 3, (y, x) -> x);
        ClassMap m = MaskFiles.read(f, MaskFormat.index(), 3, 255);
        assertArrayEquals(new int[]{0, 1, 2, 0, 1, 2}, m.classes());
    }

    @Test
    void palettePngGivesTheIndexNotTheColour() {
        // index 1 is displayed red, index 2 white: the classes must be 1 and 2, not colour values
        Path f = TestImages.palette(dir.resolve("p.png"), 1, 3, new int[]{0x000000, 0xFF0000, 0xFFFFFF}, (y, x) -> x);
        ClassMap m = MaskFiles.read(f, MaskFormat.index(), 3, 255);
        assertArrayEquals(new int[]{0, 1, 2}, m.classes());
    }

    @Test
    void oneBitPngMaskGivesZeroAndOne() throws Exception {
        BufferedImage img = new BufferedImage(3, 1,
                BufferedImage.TYPE_BYTE_BINARY);
        img.getRaster().setSample(1, 0, 0, 1);
        Path f = dir.resolve("bit.png");
        ImageIO.write(img, "png", f.toFile());
        assertArrayEquals(new int[]{0, 1, 0}, MaskFiles.read(f, MaskFormat.index(), 2, 255).classes());
    }

    @Test
    void sixteenBitMasksKeepValuesAbove255() {
        Path f = TestImages.gray16(dir.resolve("m16.png"), 1, 3, (y, x) -> new int[]{0, 300, 65535}[x]);
        ClassMap m = MaskFiles.read(f, MaskFormat.index(), 301, 65535);
        assertArrayEquals(new int[]{0, 300, 65535}, m.classes());
    }

    @Test
    void valueMapTurnsZero255IntoClasses() {
        Path f = TestImages.gray8(dir.resolve("b.png"), 1, 4, (y, x) -> x % 2 == 0 ? 0 : 255);
        ClassMap m = MaskFiles.read(f, MaskFormat.binary255(), 2, 255);
        assertArrayEquals(new int[]{0, 1, 0, 1}, m.classes());
    }

    @Test
    void reduceZeroLabelFollowsMmsegmentation() {
        Path f = TestImages.gray8(dir.resolve("z.png"), 1, 4, (y, x) -> new int[]{0, 1, 3, 255}[x]);
        ClassMap m = MaskFiles.read(f, MaskFormat.reducedZeroLabel(), 3, 255);
        assertArrayEquals(new int[]{255, 0, 2, 255}, m.classes());
    }

    @Test
    void badValueNamesFileValueCountAndFix() {
        Path f = TestImages.gray8(dir.resolve("bad.png"), 2, 2, (y, x) -> y == 1 && x == 1 ? 7 : x);
        DataException e = assertThrows(DataException.class, () -> MaskFiles.read(f, MaskFormat.index(), 3, 255));
        assertEquals(DataProblem.Kind.BAD_MASK_VALUE, e.problem().kind());
        String msg = e.getMessage();
        assertTrue(msg.startsWith(f.toString()), msg);
        assertTrue(msg.contains("mask value 7 (1 px) is neither a class (0..2) nor the ignore value 255"), msg);
        assertTrue(msg.contains("raise --num-classes (YAML data.numClasses) to 8"), msg);
    }

    @Test
    void binaryMaskStoredAs0And128GetsTheValueMapHint() {
        Path f = TestImages.gray8(dir.resolve("b128.png"), 2, 2, (y, x) -> x == 0 ? 0 : 128);
        DataException e = assertThrows(DataException.class, () -> MaskFiles.read(f, MaskFormat.index(), 2, 255));
        assertTrue(e.getMessage().contains("MaskFormat.valueMap(Map.of(0, 0, 128, 1))"), e.getMessage());
    }

    @Test
    void oneBasedLabelsGetTheReduceZeroLabelHint() {
        Path f = TestImages.gray8(dir.resolve("one.png"), 1, 3, (y, x) -> x + 1);
        DataException e = assertThrows(DataException.class, () -> MaskFiles.read(f, MaskFormat.index(), 3, 255));
        assertTrue(e.getMessage().contains("--mask-format reduceZeroLabel (YAML data.maskFormat: reduceZeroLabel)"), e.getMessage());
    }

    @Test
    void antiAliasedMaskGetsTheInterpolationHint() {
        Path f = TestImages.gray8(dir.resolve("aa.png"), 8, 8, (y, x) -> y * 8 + x);
        DataException e = assertThrows(DataException.class, () -> MaskFiles.read(f, MaskFormat.index(), 2, 255));
        assertTrue(e.getMessage().contains("64 different values") && e.getMessage().contains("nearest-neighbour"),
                e.getMessage());
    }

    @Test
    void rgbMaskThroughColourTableWithIgnoreColour() {
        ColorTable table = new ColorTable(List.of(new ColorTable.ClassColor("road", new int[]{128, 64, 128}),
                new ColorTable.ClassColor("car", new int[]{0, 0, 142})), List.of(new int[]{0, 0, 0}));
        int[] colours = {0x804080, 0x00008E, 0x000000};
        Path f = TestImages.rgb(dir.resolve("rgb.png"), 1, 3, (y, x) -> colours[x], "png");
        ClassMap m = MaskFiles.read(f, MaskFormat.rgb(table), 2, 255);
        assertArrayEquals(new int[]{0, 1, 255}, m.classes());
    }

    @Test
    void unknownColoursAreListedWithPixelCounts() {
        ColorTable table = ColorTable.of(new ColorTable.ClassColor("road", new int[]{128, 64, 128}));
        Path f = TestImages.rgb(dir.resolve("u.png"), 2, 2, (y, x) -> y == 0 ? 0x804080 : 0x010203, "png");
        DataException e = assertThrows(DataException.class, () -> MaskFiles.read(f, MaskFormat.rgb(table), 1, 255));
        assertEquals(DataProblem.Kind.UNKNOWN_COLOUR, e.problem().kind());
        String msg = e.getMessage();
        assertTrue(msg.startsWith(f.toString()), msg);
        assertTrue(msg.contains("1 colour is not in the colour table: (1,2,3) 2 px"), msg);
        assertTrue(msg.contains("colours found in the file: (1,2,3) 2 px, (128,64,128) 2 px"), msg);
        assertTrue(msg.contains("add each colour to the table"), msg);
    }

    @Test
    void colourMaskReadAsIndexIsAWrongFormatError() {
        Path f = TestImages.rgb(dir.resolve("c.png"), 1, 2, (y, x) -> x == 0 ? 0xFF0000 : 0x00FF00, "png");
        DataException e = assertThrows(DataException.class, () -> MaskFiles.read(f, MaskFormat.index(), 2, 255));
        assertEquals(DataProblem.Kind.WRONG_MASK_FORMAT, e.problem().kind());
        assertTrue(e.getMessage().contains("--mask-format rgb --color-table"), e.getMessage());
        assertTrue(e.getMessage().contains("(255,0,0) 1 px"), e.getMessage());
    }

    @Test
    void grayStoredAsRgbIsReadAsIndex() {
        Path f = TestImages.rgb(dir.resolve("g.png"), 1, 2, (y, x) -> x == 0 ? 0 : 0x010101, "png");
        assertArrayEquals(new int[]{0, 1}, MaskFiles.read(f, MaskFormat.index(), 2, 255).classes());
    }

    @Test
    void valueMapDescribedInTheErrorWhenItDoesNotCoverAValue() {
        Path f = TestImages.gray8(dir.resolve("v.png"), 1, 3, (y, x) -> new int[]{0, 255, 128}[x]);
        DataException e = assertThrows(DataException.class,
                () -> MaskFiles.read(f, MaskFormat.valueMap(Map.of(0, 0, 255, 1)), 2, 255));
        assertTrue(e.getMessage().contains("mask value 128 (1 px)"), e.getMessage());
        assertTrue(e.getMessage().contains("after index with valueMap {0=0, 255=1}"), e.getMessage());
    }

    @Test
    void aJpegMaskIsALossyMaskErrorWhateverItsExtension() throws Exception {
        BufferedImage b = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        for (int x = 4; x < 8; x++) {
            for (int y = 0; y < 8; y++) {
                b.getRaster().setSample(x, y, 0, 1);
            }
        }
        Path f = dir.resolve("m.png");
        assertTrue(ImageIO.write(b, "jpg", f.toFile()));
        DataException e = assertThrows(DataException.class, () -> MaskFiles.read(f, MaskFormat.index(), 2, 255));
        assertEquals(DataProblem.Kind.LOSSY_MASK, e.problem().kind());
        assertTrue(e.getMessage().contains("JPEG") && e.getMessage().contains("export the masks as PNG"),
                e.getMessage());
    }

    @Test
    void rareValuesNextToTheCommonOnesAreNoiseNotOneBasedLabels() {
        // 3 classes; 0 and 1 common, 2 and 3 rare (3 px each) next to 1: compression noise, not labels 1..3
        Path f = TestImages.gray8(dir.resolve("noise.png"), 10, 10, (y, x) -> {
            int i = y * 10 + x;
            return i < 50 ? 0 : i < 94 ? 1 : i < 97 ? 2 : 3;
        });
        DataException e = assertThrows(DataException.class, () -> MaskFiles.read(f, MaskFormat.index(), 3, 255));
        assertTrue(e.getMessage().contains("saved as JPEG"), e.getMessage());
        assertTrue(!e.getMessage().contains("1-based"), e.getMessage());
    }
}
