package io.segnet.cli;

import io.segnet.data.io.ImageFiles;
import io.segnet.models.LossConfig;
import io.segnet.models.SegmentationModels;
import io.segnet.models.Upsampling;
import io.segnet.models.encoder.SmallEncoderConfig;
import io.segnet.models.unet.UNetConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static io.segnet.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code segnet predict} with careless output paths and bad images (issue 13 items 1, 7 and 9): it never writes into
 * or around its input, never replaces a file it did not write, and writes nothing when an image is unreadable (unless
 * {@code --skip-bad}). Every case checks that no file outside the output folder changed (SHA-256 before and after).
 */
class PredictSafetyTest {

    @TempDir
    static Path shared;

    private static Path model;

    @TempDir
    Path root;

    @BeforeAll
    static void tinyModel() throws IOException {
        model = shared.resolve("tiny.zip");
        SegmentationModels.create(new UNetConfig(1, 2, 16, 16, new SmallEncoderConfig(2, 1, false),
                Upsampling.TRANSPOSED, true, List.of(), LossConfig.crossEntropy())).save(model);
    }

    /** The docs' layout: {@code data/x/images} next to {@code data/x/masks}, three 16x16 samples. */
    private Path layout() throws IOException {
        Path x = root.resolve("data/x");
        Files.createDirectories(x.resolve("images"));
        Files.createDirectories(x.resolve("masks"));
        for (String s : List.of("a", "b", "c")) {
            byte[] img = new byte[16 * 16];
            byte[] mask = new byte[16 * 16];
            for (int i = 0; i < img.length; i++) {
                img[i] = (byte) ((i * 7 + s.charAt(0)) % 256);
                mask[i] = (byte) (i % 3 == 0 ? 1 : 0);
            }
            ImageFiles.writeGrayPng(x.resolve("images/" + s + ".png"), 16, 16, img);
            ImageFiles.writeGrayPng(x.resolve("masks/" + s + ".png"), 16, 16, mask);
        }
        return x;
    }

    /** SHA-256 of every file and link below {@code root}, except below {@code exclude} (if given). */
    private Map<String, String> checksums(Path exclude) throws IOException {
        Map<String, String> sums = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (exclude != null && p.startsWith(exclude)) {
                    continue;
                }
                String key = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    sums.put(key, "link -> " + Files.readSymbolicLink(p));
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    sums.put(key, sha256(Files.readAllBytes(p)));
                } else {
                    sums.put(key, "folder");
                }
            }
        }
        return sums;
    }

    private static long entries(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.count();
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CliTest.Run predict(Path input, Path output, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("predict", "--model", model.toString(), "--input",
                input.toString(), "--output", output.toString()));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    /** A refused run: exit 2, the safe advice, no destructive flag suggested, and not one file changed or added. */
    private void assertRefused(Path input, Path output, String... more) throws IOException {
        Map<String, String> before = checksums(null);
        CliTest.Run r = predict(input, output, more);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("choose an empty or new output folder"), r.err());
        assertFalse(r.err().contains("--overwrite"), r.err());
        assertEquals(before, checksums(null), "files changed: " + r.err());
    }

    @Test
    void docsLayoutOutputNeverTouchesTheMasksWithOrWithoutOverwrite() throws IOException {
        Path x = layout();
        assertRefused(x.resolve("images"), x, "--overwrite");
        assertRefused(x.resolve("images"), x);
    }

    @Test
    void outputSymlinkedToTheInputFolderIsRefused() throws IOException {
        Path x = layout();
        Path link = Files.createSymbolicLink(root.resolve("preds"), x.resolve("images"));
        assertRefused(x.resolve("images"), link);
        Path parentLink = Files.createSymbolicLink(root.resolve("up"), x);
        assertRefused(x.resolve("images"), parentLink.resolve("images/preds"), "--overwrite");
    }

    @Test
    void singleFileInputIntoItsOwnFolderIsRefused() throws IOException {
        Path x = layout();
        assertRefused(x.resolve("images/a.png"), x.resolve("images"));
        assertRefused(x.resolve("images/a.png"), x.resolve("images/preds"));
    }

    @Test
    void outputInsideTheInputFolderIsRefused() throws IOException {
        Path x = layout();
        assertRefused(x.resolve("images"), x.resolve("images/preds"));
        assertRefused(x.resolve("images"), x.resolve("images"));
    }

    @Test
    void foreignFilesInAnOutputSubFolderAreNeverReplaced() throws IOException {
        Path x = layout();
        Path out = root.resolve("preds");
        Files.createDirectories(out.resolve("masks"));
        Files.copy(x.resolve("masks/a.png"), out.resolve("masks/a.png"));
        assertRefused(x.resolve("images"), out, "--overwrite");
    }

    @Test
    void anEarlierPredictRunIsReplacedOnlyWithOverwrite() throws IOException {
        Path x = layout();
        Path out = root.resolve("preds");
        Map<String, String> before = checksums(out);
        CliTest.Run first = predict(x.resolve("images"), out);
        assertEquals(0, first.code(), first.err());
        for (String sub : List.of("masks", "color", "overlay")) {
            String marker = Files.readString(out.resolve(sub).resolve(".segnet-predict"));
            assertTrue(marker.contains("\na.png\nb.png\nc.png\n"), marker);
            assertEquals(4, entries(out.resolve(sub)), sub);
        }
        CliTest.Run again = predict(x.resolve("images"), out);
        assertEquals(2, again.code());
        assertTrue(again.err().contains("exist already from an earlier segnet predict run")
                && again.err().contains("--overwrite"), again.err());
        CliTest.Run replaced = predict(x.resolve("images"), out, "--overwrite");
        assertEquals(0, replaced.code(), replaced.err());
        assertEquals(before, checksums(out));
    }

    /** The layout plus a truncated PNG, a zero-byte PNG and a text file named .png. */
    private Path withBadImages() throws IOException {
        Path x = layout();
        Path images = x.resolve("images");
        byte[] good = Files.readAllBytes(images.resolve("a.png"));
        Files.write(images.resolve("d-truncated.png"), java.util.Arrays.copyOf(good, good.length / 2));
        Files.write(images.resolve("e-empty.png"), new byte[0]);
        Files.writeString(images.resolve("f-text.png"), "this is a text file renamed to .png\n");
        return x;
    }

    @Test
    void unreadableImagesAmongGoodOnesStopTheRunBeforeAnythingIsWritten() throws IOException {
        Path x = withBadImages();
        Path out = root.resolve("preds");
        Map<String, String> before = checksums(null);
        CliTest.Run r = predict(x.resolve("images"), out);
        assertEquals(1, r.code(), r.err());
        for (String bad : List.of("d-truncated.png", "e-empty.png", "f-text.png")) {
            assertTrue(r.err().contains(bad), r.err());
        }
        assertTrue(r.err().contains("3 of 6 input images cannot be read; nothing was written"), r.err());
        assertTrue(r.err().contains("--skip-bad"), r.err());
        assertTrue(r.err().contains("0 bytes"), r.err());
        assertFalse(r.err().contains("mask"), "a predict message, not a training one: " + r.err());
        assertFalse(Files.exists(out), "nothing written");
        assertEquals(before, checksums(null));
    }

    @Test
    void skipBadPredictsTheReadableImagesAndListsTheOthers() throws IOException {
        Path x = withBadImages();
        Path out = root.resolve("preds");
        Map<String, String> before = checksums(out);
        CliTest.Run r = predict(x.resolve("images"), out, "--skip-bad");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("predicted 3 images") && r.out().contains("wrote 9 files"), r.out());
        assertTrue(r.out().contains("skipped 3 unreadable images"), r.out());
        for (String bad : List.of("d-truncated.png", "e-empty.png", "f-text.png")) {
            assertTrue(r.out().contains(bad), r.out());
        }
        for (String sub : List.of("masks", "color", "overlay")) {
            for (String s : List.of("a", "b", "c")) {
                assertTrue(Files.isRegularFile(out.resolve(sub).resolve(s + ".png")), sub + "/" + s);
            }
            assertEquals(4, entries(out.resolve(sub)), sub + " holds the 3 predictions and the marker");
        }
        assertEquals(before, checksums(out));
    }

    @Test
    void anOutputFolderThatCannotBeCreatedSaysWhy() throws IOException {
        layout();
        CliTest.Run r = predict(root.resolve("data/x/images"), Path.of("/proc/x"));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("cannot create the output folder /proc/x: "), r.err());
        assertTrue(r.err().contains("creating /proc/x failed: ") || r.err().contains("/proc is not writable"),
                "says why: " + r.err());
        assertFalse(r.err().contains("--overwrite"), r.err());
        Path file = Files.writeString(root.resolve("a-file"), "x");
        r = predict(root.resolve("data/x/images"), file.resolve("preds"));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("is a file, not a folder"), r.err());
    }
}
