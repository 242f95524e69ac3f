package io.segnet.cli;

import io.segnet.cli.CliTest.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static io.segnet.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A corpus of broken folder data sets, generated into temporary folders, run through {@code validate-data},
 * {@code train} and {@code evaluate}: each fails with its exit code and a message naming the file and the fix, and no
 * file outside the run folder changes (nor is a run folder created for refused data).
 */
class BadDataCorpusTest {

    private static final int SIZE = 32;

    @TempDir
    static Path dir;

    /** A model trained on clean data, for evaluate. */
    static Path model;

    @BeforeAll
    static void trainATinyModel() throws IOException {
        Path clean = dataSet("clean", 4, false);
        Run r = run(trainArgs(clean, "--output", dir.resolve("runs/clean").toString()));
        assertEquals(0, r.code(), r.err());
        model = dir.resolve("runs/clean/best.zip");
        assertTrue(Files.exists(model));
    }

    private static String[] trainArgs(Path data, String... more) {
        String[] base = {"train", "--data", "folder", "--images", data.resolve("image").toString(), "--masks",
                data.resolve("mask").toString(), "--num-classes", "2", "--val-fraction", "0.25", "--model",
                "quickstart", "--iterations", "1", "--batch-size", "2", "--no-progress"};
        return Stream.concat(Stream.of(base), Stream.of(more)).toArray(String[]::new);
    }

    /** {@code n} gray images with masks holding 0/1 ({@code binary255}: 0/255), as PNG. */
    static Path dataSet(String name, int n, boolean binary255) throws IOException {
        Path root = dir.resolve(name);
        Files.createDirectories(root.resolve("image"));
        Files.createDirectories(root.resolve("mask"));
        for (int i = 0; i < n; i++) {
            write(gray(i, false, 0), "png", root.resolve("image/" + i + ".png"));
            write(gray(i, true, binary255 ? 255 : 1), "png", root.resolve("mask/" + i + ".png"));
        }
        return root;
    }

    /** A gray image: a textured picture, or a mask whose right part (from a column that depends on i) is fg. */
    static BufferedImage gray(int i, boolean mask, int fg) {
        BufferedImage b = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int v = mask ? (x >= 8 + 3 * i ? fg : 0) : (x * 7 + y * 3 + i * 11) % 256;
                b.getRaster().setSample(x, y, 0, v);
            }
        }
        return b;
    }

    static void write(BufferedImage img, String format, Path file) throws IOException {
        if (!ImageIO.write(img, format, file.toFile())) {
            throw new IOException("no writer for " + format);
        }
    }

    /** A checksum of every file under {@link #dir} except those under {@code except}. */
    static Map<String, String> checksums(Path except) throws IOException {
        Map<String, String> sums = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(Files::isRegularFile).filter(f -> !f.startsWith(except)).forEach(f -> {
                try {
                    sums.put(dir.relativize(f).toString(), HexFormat.of().formatHex(
                            MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        return sums;
    }

    /** Runs train on {@code data} into a new run folder; asserts it fails, writes nothing and creates no run folder. */
    static Run refusedTrain(Path data, String... more) throws IOException {
        Path out = dir.resolve("runs/refused-" + data.getFileName());
        Map<String, String> before = checksums(out);
        String[] args = Stream.concat(Stream.of(trainArgs(data, "--output", out.toString())), Stream.of(more))
                .toArray(String[]::new);
        Run r = run(args);
        assertEquals(1, r.code(), r.out() + r.err());
        assertFalse(Files.exists(out), "a refused data set creates no run folder");
        assertEquals(before, checksums(out), "no file changed");
        return r;
    }

    static Run evaluate(Path data, String... more) throws IOException {
        Path config = dir.resolve(data.getFileName() + ".yaml");
        Files.writeString(config, """
                data:
                  type: folder
                  images: %s
                  masks: %s
                  validationFraction: 0.25
                  numClasses: 2
                  mean: []
                  std: []
                """.formatted(data.resolve("image"), data.resolve("mask")));
        Map<String, String> before = checksums(dir.resolve("nothing"));
        String[] args = Stream.concat(Stream.of("evaluate", "--model", model.toString(), "--config", config.toString()),
                Stream.of(more)).toArray(String[]::new);
        Run r = run(args);
        assertEquals(before, checksums(dir.resolve("nothing")), "evaluate changes no file");
        return r;
    }

    static Run validate(Path data, String... more) {
        String[] base = {"validate-data", "--images", data.resolve("image").toString(), "--masks",
                data.resolve("mask").toString(), "--num-classes", "2"};
        return run(Stream.concat(Stream.of(base), Stream.of(more)).toArray(String[]::new));
    }

    @Test
    void jpegMasksAreLossyWhateverTheirExtension() throws IOException {
        Path data = dataSet("jpeg", 4, false);
        Files.delete(data.resolve("mask/0.png"));
        write(gray(0, true, 1), "jpg", data.resolve("mask/0.jpg"));
        write(gray(1, true, 1), "jpg", data.resolve("mask/1.png")); // JPEG content, PNG name
        Run v = validate(data);
        assertEquals(1, v.code());
        for (String f : new String[]{"0.jpg", "1.png"}) {
            assertTrue(v.out().contains(f + " [LOSSY_MASK]"), v.out());
        }
        assertTrue(v.out().contains("export the masks as PNG"), v.out());
        assertFalse(v.out().contains("1-based"), v.out());
        Run t = refusedTrain(data);
        assertTrue(t.err().contains("LOSSY_MASK") && t.err().contains("2 problems"), t.err());
        Run e = evaluate(data);
        assertEquals(1, e.code());
        assertTrue(e.err().contains("LOSSY_MASK"), e.err());
    }

    @Test
    void binaryMasksStoredAs0And255WithoutBinary255AreRefused() throws IOException {
        Path data = dataSet("b255", 4, true);
        Run t = refusedTrain(data);
        assertTrue(t.err().contains("--mask-format binary255"), t.err());
        Run e = evaluate(data);
        assertEquals(1, e.code());
        assertTrue(e.err().contains("--mask-format binary255"), e.err());
        Path ok = dir.resolve("runs/b255-ok");
        Run fixed = run(trainArgs(data, "--mask-format", "binary255", "--output", ok.toString()));
        assertEquals(0, fixed.code(), fixed.err());
    }

    @Test
    void mixedChannelsAreListedBeforeTrainingAndConvertedOnRequest() throws IOException {
        Path data = dataSet("mixed", 4, false);
        int[] types = {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_USHORT_GRAY};
        for (int i = 0; i < types.length; i++) {
            BufferedImage b = new BufferedImage(SIZE, SIZE, types[i]);
            b.createGraphics().drawImage(gray(i, false, 0), 0, 0, null);
            write(b, "png", data.resolve("image/" + (i + 1) + ".png"));
        }
        Run t = refusedTrain(data);
        assertTrue(t.err().contains("CHANNEL_MISMATCH") && t.err().contains("--image-channels"), t.err());
        assertTrue(t.err().contains("1.png") && t.err().contains("2.png"), t.err());
        assertFalse(t.err().contains("DatasetConfig"), t.err());
        Run e = evaluate(data);
        assertEquals(1, e.code());
        assertTrue(e.err().contains("CHANNEL_MISMATCH"), e.err());
        Run fixed = run(trainArgs(data, "--image-channels", "1", "--output", dir.resolve("runs/mixed-ok").toString()));
        assertEquals(0, fixed.code(), fixed.err());
    }

    @Test
    void truncatedEmptyAndMisnamedFilesAreAllReportedAtOnce() throws IOException {
        Path data = dataSet("broken", 5, false);
        byte[] png = Files.readAllBytes(data.resolve("image/0.png"));
        Files.write(data.resolve("image/0.png"), java.util.Arrays.copyOf(png, png.length / 2));
        Files.write(data.resolve("mask/1.png"), new byte[0]);
        Files.writeString(data.resolve("image/2.png"), "not an image");
        Run v = validate(data);
        assertEquals(1, v.code());
        Run t = refusedTrain(data);
        for (String f : new String[]{"image/0.png", "mask/1.png", "image/2.png"}) {
            assertTrue(v.out().contains(f), v.out());
            assertTrue(t.err().contains(f), t.err());
        }
        assertTrue(t.err().contains("3 problems"), t.err());
    }

    @Test
    void aDuplicateStemIsReportedOnceNotAlsoAsAnOrphanMask() throws IOException {
        Path data = dataSet("dup", 3, false);
        write(gray(0, false, 0), "bmp", data.resolve("image/0.bmp"));
        Run v = validate(data);
        assertEquals(1, v.code());
        assertTrue(v.out().contains("DUPLICATE_STEM"), v.out());
        assertFalse(v.out().contains("ORPHAN_MASK"), v.out());
        assertTrue(v.out().contains("1 problem,"), v.out());
    }

    @Test
    void usageErrorsExitTwo() throws IOException {
        Path data = dataSet("usage", 4, false);
        Run tile = evaluate(data, "--tile", "250x250");
        assertEquals(2, tile.code(), tile.err());
        assertTrue(tile.err().contains("256x256"), tile.err());
        Run predictTile = run("predict", "--model", model.toString(), "--input", data.resolve("image").toString(),
                "--output", dir.resolve("preds-tile").toString(), "--tile", "250x250");
        assertEquals(2, predictTile.code(), predictTile.err());
        assertTrue(predictTile.err().contains("256x256"), predictTile.err());
        assertFalse(Files.exists(dir.resolve("preds-tile").resolve("masks")), "a usage error writes no prediction");
        Run classes = run("train", "--data", "folder", "--images", data.resolve("image").toString(), "--masks",
                data.resolve("mask").toString(), "--num-classes", "0", "--output", dir.resolve("runs/zero").toString());
        assertEquals(2, classes.code(), classes.err());
        assertTrue(classes.err().contains("numClasses"), classes.err());
        assertFalse(Files.exists(dir.resolve("runs/zero")));
    }

    @Test
    void iterationsOnTheCommandLineOverrideEpochsInTheFile() throws IOException {
        Path data = dataSet("iters", 4, false);
        Path config = dir.resolve("iters.yaml");
        Files.writeString(config, """
                data: {type: folder, images: %s, masks: %s, numClasses: 2, validationFraction: 0.25}
                model: {name: quickstart}
                trainer: {epochs: 3, batchSize: 2, progressBar: false}
                """.formatted(data.resolve("image"), data.resolve("mask")));
        Run r = run("train", "--config", config.toString(), "--iterations", "1", "--output",
                dir.resolve("runs/iters").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("(1 iterations)"), r.out());
        Files.writeString(config, Files.readString(config).replace("epochs: 3", "iterations: 1"));
        Run fileOnly = run("train", "--config", config.toString(), "--output", dir.resolve("runs/iters2").toString());
        assertEquals(0, fileOnly.code(), fileOnly.err());
        assertTrue(fileOnly.out().contains("(1 iterations)"), fileOnly.out());
    }
}
