package io.segnet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16: where real data goes wrong, {@code segnet train} says so before training (and trains): a class in no
 * training mask, a class under 0.01% of the pixels, classes the validation masks lack, no validation data.
 */
class DataWarningsTest {
    @TempDir
    Path dir;

    /** 4 classes: 0 background, 1 a block, 2 a single pixel in one image of 4 (under 0.01%), 3 nowhere. */
    private void data(Path root, boolean rare, boolean withClass1) throws IOException {
        for (int i = 0; i < 4; i++) {
            int id = i;
            CliTest.grayPng(root.resolve("images/" + i + ".png"), 64, 64, (y, x) -> (x * 3 + y) % 256);
            CliTest.grayPng(root.resolve("masks/" + i + ".png"), 64, 64, (y, x) -> withClass1 && x < 16 && y < 16 ? 1
                    : rare && id == 0 && x == 40 && y == 40 ? 2 : 0);
        }
    }

    @Test
    void trainWarnsBeforeItTrainsAndStillTrains() throws IOException {
        data(dir.resolve("train"), true, true);
        data(dir.resolve("val"), false, false);
        Path out = dir.resolve("run");
        CliTest.Run r = CliTest.run("train", "--data", "folder", "--images", dir.resolve("train/images").toString(),
                "--masks", dir.resolve("train/masks").toString(), "--val-images", dir.resolve("val/images").toString(),
                "--val-masks", dir.resolve("val/masks").toString(), "--num-classes", "4", "--model", "quickstart",
                "--iterations", "1", "--batch-size", "2", "--no-progress", "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        String err = r.err();
        assertTrue(err.contains("warning:") && err.contains("3 'class3'") && err.contains("in no mask"), err);
        assertTrue(err.contains("class 2 'class2' covers 0.0061% of the labelled pixels")
                && err.contains("--class-weights auto"), err);
        assertTrue(err.contains("the validation masks lack classes 1 'class1', 2 'class2'"), err);
        assertFalse(err.contains("no validation data"), err);

        CliTest.Run noVal = CliTest.run("train", "--data", "folder", "--images",
                dir.resolve("train/images").toString(), "--masks", dir.resolve("train/masks").toString(),
                "--num-classes", "4", "--model", "quickstart", "--iterations", "1", "--batch-size", "2",
                "--no-progress", "--output", dir.resolve("run2").toString());
        assertEquals(0, noVal.code(), noVal.err());
        assertTrue(noVal.err().contains("warning: no validation data: no best.zip will be written")
                && noVal.err().contains("--val-fraction 0.1"), noVal.err());
        assertFalse(Files.exists(dir.resolve("run2/best.zip")));
    }

    /**
     * {@code --ignore-value 11} (CamVid marks void with 11): train and evaluate leave those pixels out; without the
     * flag the value is refused as no class, naming the flag.
     */
    @Test
    void ignoreValueElevenIsLeftOutByTrainAndEvaluate() throws IOException {
        Path root = dir.resolve("camvid");
        for (int i = 0; i < 4; i++) {
            CliTest.grayPng(root.resolve("images/" + i + ".png"), 32, 32, (y, x) -> (x * 7 + y) % 256);
            CliTest.grayPng(root.resolve("masks/" + i + ".png"), 32, 32, (y, x) -> y < 4 ? 11 : x < 16 ? 0 : 1);
        }
        String[] data = {"train", "--data", "folder", "--images", root.resolve("images").toString(), "--masks",
                root.resolve("masks").toString(), "--val-fraction", "0.5", "--num-classes", "2"};
        CliTest.Run refused = CliTest.run(concat(data, "--model", "quickstart", "--iterations", "1", "--output",
                dir.resolve("never").toString()));
        assertEquals(1, refused.code());
        assertTrue(refused.err().contains("--ignore-value 11"), refused.err());

        Path out = dir.resolve("camvid-run");
        CliTest.Run r = CliTest.run(concat(data, "--ignore-value", "11", "--model", "quickstart", "--iterations",
                "2", "--batch-size", "2", "--no-progress", "--output", out.toString()));
        assertEquals(0, r.code(), r.err());
        CliTest.Run e = CliTest.run("evaluate", "--model", out.resolve("best.zip").toString());
        assertEquals(0, e.code(), e.err());
        // 2 validation images of 32x32, rows 0-3 void: 256 pixels ignored, 1792 counted
        assertTrue(e.out().contains("1792 pixels counted, 256 ignored"), e.out());
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
