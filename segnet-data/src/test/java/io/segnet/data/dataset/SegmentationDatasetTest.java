package io.segnet.data.dataset;

import io.segnet.data.DataException;
import io.segnet.data.DataProblem;
import io.segnet.data.DataProblem.Kind;
import io.segnet.data.Sample;
import io.segnet.data.TestImages;
import io.segnet.data.io.MaskFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentationDatasetTest {

    @TempDir
    Path root;

    private Path images() {
        return root.resolve("image");
    }

    private Path masks() {
        return root.resolve("label");
    }

    /** Image value = 10 * id + x, mask = x % 2; 4x5 pixels. */
    private void pair(String stem, String imageExt, String maskName) {
        int id = Integer.parseInt(stem.replaceAll("\\D", ""));
        if (imageExt.equals("png")) {
            TestImages.gray8(images().resolve(stem + ".png"), 4, 5, (y, x) -> 10 * id + x);
        } else {
            int v = 10 * id;
            TestImages.rgb(images().resolve(stem + "." + imageExt), 4, 5, (y, x) -> (v + x) * 0x010101, imageExt);
        }
        TestImages.gray8(masks().resolve(maskName), 4, 5, (y, x) -> x % 2);
    }

    @Test
    void pairsByStemAcrossExtensionsInNaturalOrder() {
        pair("10", "png", "10.png");
        pair("2", "bmp", "2.png");
        pair("1", "png", "1.png");
        SegmentationDataset ds = SegmentationDataset.fromFolders(images(), masks(), DatasetConfig.of(2).withImageChannels(1));
        assertEquals(List.of("1", "2", "10"), ds.stems());
        Sample s = ds.get(1);
        assertEquals("2", s.id());
        assertEquals(1, s.channels());
        assertEquals(4, s.height());
        assertEquals(5, s.width());
        assertEquals(23 / 255f, s.image()[3], 1e-6);
        assertArrayEquals(new int[]{0, 1, 0, 1, 0}, Arrays.copyOf(s.mask(), 5));
        assertEquals(255, s.ignoreValue());
    }

    /**
     * Issue 16: every lossless format users' data comes in, for images and masks, with a mask extension other than
     * its image's: GIF masks (many medical sets), BMP, palette PNG, 16-bit LZW TIFF. Each mask reads exactly. (16x20
     * pixels: the JDK's GIF codec garbled a 4-row GIF, 8 rows and more read back exactly.)
     */
    @Test
    void everyLosslessFormatIsReadExactlyWithAnyMaskExtension() {
        int[] pal = {0x000000, 0xff0000, 0x00ff00};
        TestImages.gray8(images().resolve("1.png"), 16, 20, (y, x) -> 10 + x);
        TestImages.indexed(masks().resolve("1.gif"), 16, 20, pal, (y, x) -> (x + y) % 3, "gif");
        TestImages.rgb(images().resolve("2.tif"), 16, 20, (y, x) -> 0x203040, "tif");
        TestImages.gray8(masks().resolve("2.bmp"), 16, 20, (y, x) -> y % 3, "bmp");
        TestImages.indexed(images().resolve("3.gif"), 16, 20, pal, (y, x) -> x % 3, "gif");
        TestImages.gray16TiffLzw(masks().resolve("3.tif"), 16, 20, (y, x) -> (x * y) % 3);
        TestImages.rgb(images().resolve("4.bmp"), 16, 20, (y, x) -> 0x808080, "bmp");
        TestImages.indexed(masks().resolve("4.png"), 16, 20, pal, (y, x) -> 2 - x % 3, "png");
        SegmentationDataset ds = SegmentationDataset.fromFolders(images(), masks(),
                DatasetConfig.of(3).withImageChannels(3));
        assertEquals(List.of("1", "2", "3", "4"), ds.stems());
        java.util.function.IntBinaryOperator[] expected = {(y, x) -> (x + y) % 3, (y, x) -> y % 3,
                (y, x) -> (x * y) % 3, (y, x) -> 2 - x % 3};
        for (int i = 0; i < 4; i++) {
            Sample s = ds.get(i);
            assertEquals(3, s.channels(), s.id());
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 20; x++) {
                    assertEquals(expected[i].applyAsInt(y, x), s.mask()[y * 20 + x], s.id() + " at " + y + "," + x);
                }
            }
        }
        assertEquals(0, SegmentationDataset.validate(images(), masks(), DatasetConfig.of(3).withImageChannels(3))
                .problems().size(), "validate-data finds nothing wrong");
    }

    @Test
    void maskSuffixPairsImage17WithMask17Mask() {
        pair("17", "png", "17_mask.png");
        SegmentationDataset ds = SegmentationDataset.fromFolders(images(), masks(),
                DatasetConfig.of(2).withMaskSuffix("_mask"));
        assertEquals(1, ds.size());
        assertEquals(masks().resolve("17_mask.png"), ds.pairs().get(0).mask());
    }

    @Test
    void imagesAndMasksInOneFolderWithSuffix() {
        TestImages.gray8(root.resolve("all/3.png"), 2, 2, (y, x) -> 9);
        TestImages.gray8(root.resolve("all/3_mask.png"), 2, 2, (y, x) -> 1);
        SegmentationDataset ds = SegmentationDataset.fromFolders(root.resolve("all"), root.resolve("all"),
                DatasetConfig.of(2).withMaskSuffix("_mask"));
        assertEquals(List.of("3"), ds.stems());
        assertArrayEquals(new int[]{1, 1, 1, 1}, ds.get(0).mask());
    }

    @Test
    void missingMaskNamesTheImageAndSaysWhatToDo() {
        pair("1", "png", "1.png");
        TestImages.gray8(images().resolve("2.png"), 4, 5, (y, x) -> 0);
        DataException e = assertThrows(DataException.class,
                () -> SegmentationDataset.fromFolders(images(), masks(), DatasetConfig.of(2)));
        DataProblem p = e.problem();
        assertEquals(Kind.MISSING_MASK, p.kind());
        assertEquals(images().resolve("2.png"), p.file());
        assertTrue(e.getMessage().contains(images().resolve("2.png") + ": image has no mask: expected "
                + masks().resolve("2.png")), e.getMessage());
        assertTrue(e.getMessage().contains("add the mask, or remove the image"), e.getMessage());
    }

    @Test
    void missingMasksWithASuffixSuggestTheSuffix() {
        pair("4", "png", "4_label.png");
        DataException e = assertThrows(DataException.class,
                () -> SegmentationDataset.fromFolders(images(), masks(), DatasetConfig.of(2)));
        assertTrue(e.getMessage().contains("set --mask-suffix _label (YAML data.maskSuffix: _label)"), e.getMessage());
    }

    @Test
    void emptyAndMissingFoldersAreReported() throws Exception {
        Files.createDirectories(images());
        Files.writeString(images().resolve("notes.txt"), "x");
        pair("1", "png", "1.png");
        Files.delete(images().resolve("1.png"));
        DataException e = assertThrows(DataException.class,
                () -> SegmentationDataset.fromFolders(images(), masks(), DatasetConfig.of(2)));
        assertEquals(Kind.EMPTY_FOLDER, e.problem().kind());
        assertTrue(e.getMessage().contains(images() + ": folder contains no images (PNG, JPEG, BMP or TIFF); it holds"
                + " 1 other file: 'notes.txt'"), e.getMessage());
        assertTrue(e.getMessage().contains("point the data set at the folder that holds the images"), e.getMessage());

        DataException m = assertThrows(DataException.class,
                () -> SegmentationDataset.fromFolders(root.resolve("nowhere"), masks(), DatasetConfig.of(2)));
        assertEquals(Kind.MISSING_FOLDER, m.problem().kind());
        assertTrue(m.getMessage().contains("nowhere: image folder does not exist"), m.getMessage());
    }

    @Test
    void twoFilesWithOneStemAreAmbiguous() {
        pair("5", "png", "5.png");
        TestImages.rgb(images().resolve("5.bmp"), 4, 5, (y, x) -> 0, "bmp");
        DataException e = assertThrows(DataException.class,
                () -> SegmentationDataset.fromFolders(images(), masks(), DatasetConfig.of(2)));
        assertEquals(Kind.DUPLICATE_STEM, e.problem().kind());
        assertTrue(e.getMessage().contains("files 5.bmp, 5.png share the stem '5'"), e.getMessage());
    }

    @Test
    void sizeMismatchNamesBothFiles() {
        pair("1", "png", "1.png");
        TestImages.gray8(masks().resolve("1.png"), 3, 5, (y, x) -> 0);
        SegmentationDataset ds = SegmentationDataset.fromFolders(images(), masks(), DatasetConfig.of(2));
        DataException e = assertThrows(DataException.class, () -> ds.get(0));
        assertEquals(Kind.SIZE_MISMATCH, e.problem().kind());
        assertTrue(e.getMessage().contains(masks().resolve("1.png") + ": mask is 3x5 (HxW) but its image "
                + images().resolve("1.png") + " is 4x5"), e.getMessage());
        assertTrue(e.getMessage().contains("re-export the mask at the image's size"), e.getMessage());
    }

    @Test
    void badMaskValueAndCorruptFileNameTheFileOnGet() {
        pair("1", "png", "1.png");
        pair("2", "png", "2.png");
        TestImages.gray8(masks().resolve("1.png"), 4, 5, (y, x) -> 9);
        TestImages.bytes(images().resolve("2.png"), "garbage".getBytes(StandardCharsets.US_ASCII));
        SegmentationDataset ds = SegmentationDataset.fromFolders(images(), masks(), DatasetConfig.of(2));
        DataException bad = assertThrows(DataException.class, () -> ds.get(0));
        assertTrue(bad.getMessage().startsWith(masks().resolve("1.png") + ": mask value 9 (20 px)"), bad.getMessage());
        DataException corrupt = assertThrows(DataException.class, () -> ds.get(1));
        assertTrue(corrupt.getMessage().startsWith(images().resolve("2.png") + ": not an image"), corrupt.getMessage());
    }

    @Test
    void validateListsEveryProblemAtOnce() {
        pair("1", "png", "1.png");                                                    // fine
        pair("2", "png", "2.png");
        TestImages.gray8(masks().resolve("2.png"), 2, 2, (y, x) -> 0);               // size mismatch
        pair("3", "png", "3.png");
        TestImages.gray8(masks().resolve("3.png"), 4, 5, (y, x) -> 200);             // bad value
        pair("4", "png", "4.png");
        TestImages.bytes(images().resolve("4.png"), new byte[]{1, 2, 3});            // corrupt image
        pair("5", "bmp", "5.png");                                                    // RGB among gray images
        TestImages.gray8(masks().resolve("6.png"), 4, 5, (y, x) -> 0);               // mask without image
        TestImages.gray8(images().resolve("7.png"), 4, 5, (y, x) -> 0);              // image without mask

        ValidationReport report = SegmentationDataset.validate(images(), masks(), DatasetConfig.of(2));
        assertFalse(report.isOk());
        Map<Kind, Path> byKind = new TreeMap<>();
        report.problems().forEach(p -> byKind.put(p.kind(), p.file()));
        assertEquals(masks().resolve("2.png"), byKind.get(Kind.SIZE_MISMATCH));
        assertEquals(masks().resolve("3.png"), byKind.get(Kind.BAD_MASK_VALUE));
        assertEquals(images().resolve("4.png"), byKind.get(Kind.UNREADABLE));
        assertEquals(images().resolve("5.bmp"), byKind.get(Kind.CHANNEL_MISMATCH));
        assertEquals(masks().resolve("6.png"), byKind.get(Kind.ORPHAN_MASK));
        assertEquals(images().resolve("7.png"), byKind.get(Kind.MISSING_MASK));
        assertEquals(6, report.problems().size(), report.toString());
        assertEquals(5, report.samplesChecked());
        String text = report.toString();
        for (String f : new String[]{"2.png", "3.png", "4.png", "5.bmp", "6.png", "7.png"}) {
            assertTrue(text.contains(f), text);
        }
        assertTrue(text.contains("6 problems"), text);
        assertTrue(text.contains("fix: give --image-channels 1 (YAML data.imageChannels: 1)"), text);
        assertThrows(DataException.class, report::throwIfProblems);
    }

    @Test
    void validateOfAGoodDataSetCountsClassPixels() {
        pair("1", "png", "1.png");
        pair("2", "png", "2.png");
        ValidationReport report = SegmentationDataset.fromFolders(images(), masks(), DatasetConfig.of(2)).validate();
        assertTrue(report.isOk(), report.toString());
        assertTrue(report.warnings().isEmpty(), report.toString());
        // 5 columns, x % 2: 3 columns class 0, 2 columns class 1, 4 rows, 2 images
        assertArrayEquals(new long[]{24, 16}, report.classPixels());
        assertTrue(report.toString().contains("class pixels: class0 60.0%, class1 40.0%, ignored 0.0%"), report.toString());
    }

    @Test
    void masksStoredAs0And255WithoutValueMapRaiseAWarning() {
        TestImages.gray8(images().resolve("1.png"), 2, 2, (y, x) -> 0);
        TestImages.gray8(masks().resolve("1.png"), 2, 2, (y, x) -> x == 0 ? 0 : 255);
        ValidationReport report = SegmentationDataset.fromFolders(images(), masks(), DatasetConfig.of(2)).validate();
        assertTrue(report.isOk());
        assertEquals(1, report.warnings().size());
        assertTrue(report.warnings().get(0).contains("class 1 'class1' occurs in no mask and 50% of all pixels have"
                + " the ignore value 255: binary masks stored as 0/255? then use --mask-format binary255"),
                report.warnings().get(0));
        ValidationReport fixed = SegmentationDataset.fromFolders(images(), masks(),
                DatasetConfig.of(2).withMaskFormat(MaskFormat.binary255())).validate();
        assertTrue(fixed.warnings().isEmpty(), fixed.toString());
        assertArrayEquals(new long[]{2, 2}, fixed.classPixels());
    }

    @Test
    void readingAndValidatingNeverChangesTheDisk() throws Exception {
        pair("1", "png", "1.png");
        pair("2", "jpg", "2.png");
        TestImages.gray8(masks().resolve("9.png"), 4, 5, (y, x) -> 0);
        Files.writeString(root.resolve("split.txt"), "1\n");
        Map<Path, String> before = snapshot(root);
        SegmentationDataset ds = SegmentationDataset.fromFolders(images(), masks(), DatasetConfig.of(2).withImageChannels(1));
        ds.get(0);
        ds.get(1);
        ds.validate();
        SegmentationDataset.validate(images(), masks(), DatasetConfig.of(2));
        ds.subset(root.resolve("split.txt")).get(0);
        InMemorySource.load(ds, 2);
        assertEquals(before, snapshot(root));
    }

    @Test
    void subsetsFromStemsAndSplitFiles() throws Exception {
        for (int i = 1; i <= 4; i++) {
            pair(String.valueOf(i), "png", i + ".png");
        }
        SegmentationDataset ds = SegmentationDataset.fromFolders(images(), masks(), DatasetConfig.of(2));
        assertEquals(List.of("3", "1"), ds.subset(List.of("3", "1")).stems());
        Path split = Files.writeString(root.resolve("val.txt"), "# validation\n4.png\n\n2\n");
        assertEquals(List.of("4", "2"), ds.subset(split).stems());

        Path wrong = Files.writeString(root.resolve("wrong.txt"), "1\n17\nx\n");
        DataException e = assertThrows(DataException.class, () -> ds.subset(wrong));
        assertEquals(Kind.UNKNOWN_SAMPLE, e.problem().kind());
        assertTrue(e.getMessage().startsWith(wrong + ": 2 of 3 stems are not in the data set: '17', 'x'"), e.getMessage());
    }

    @Test
    void seededSplitIsDisjointCompleteAndReproducible() {
        for (int i = 0; i < 20; i++) {
            pair(String.valueOf(i), "png", i + ".png");
        }
        SegmentationDataset ds = SegmentationDataset.fromFolders(images(), masks(), DatasetConfig.of(2));
        Split<SegmentationDataset> a = ds.split(0.25, 7);
        assertEquals(5, a.validation().size());
        assertEquals(15, a.train().size());
        Set<String> all = new HashSet<>(a.train().stems());
        all.addAll(a.validation().stems());
        assertEquals(new HashSet<>(ds.stems()), all);
        assertEquals(a.validation().stems(), ds.split(0.25, 7).validation().stems());
        assertNotEquals(a.validation().stems(), ds.split(0.25, 8).validation().stems());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ds.split(20, 1));
        assertTrue(e.getMessage().contains("use 1..19"), e.getMessage());
    }

    @Test
    void inMemorySourceHoldsTheSameSamples() {
        pair("1", "png", "1.png");
        pair("2", "png", "2.png");
        SegmentationDataset ds = SegmentationDataset.fromFolders(images(), masks(), DatasetConfig.of(2));
        InMemorySource mem = InMemorySource.load(ds, 2);
        assertEquals(ds.get(0), mem.get(0));
        assertEquals(ds.get(1), mem.get(1));
        assertEquals(ds.classNames(), mem.classNames());
    }

    private static Map<Path, String> snapshot(Path dir) throws Exception {
        Map<Path, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                if (Files.isRegularFile(p)) {
                    byte[] hash = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
                    out.put(p, HexFormat.of().formatHex(hash) + " " + Files.getLastModifiedTime(p));
                } else {
                    out.put(p, "dir");
                }
            }
        }
        return out;
    }
}
