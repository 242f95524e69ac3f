package io.segnet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.segnet.inference.Preprocessing;
import io.segnet.train.ConfigFiles;
import io.segnet.train.checkpoint.Checkpoint;
import io.segnet.train.checkpoint.TrainingMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntBinaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16: {@code --scale} / {@code --resize} for images too large to train at full size, remembered by the model so
 * that predict and evaluate answer at the images' own size; and the augmentation flags, among them the U-Net paper's
 * elastic deformation.
 */
class InputSizeFlagsTest {
    @TempDir
    Path dir;

    private Path data(int h, int w) throws IOException {
        Path root = dir.resolve("data");
        for (int i = 0; i < 4; i++) {
            IntBinaryOperator inside = (y, x) -> x >= w / 4 && x < 3 * w / 4 && y >= h / 4 && y < 3 * h / 4 ? 1 : 0;
            CliTest.grayPng(root.resolve("images/" + i + ".png"), h, w, (y, x) -> inside.applyAsInt(y, x) == 1 ? 200
                    : 30);
            CliTest.grayPng(root.resolve("masks/" + i + ".png"), h, w, inside);
        }
        return root;
    }

    private CliTest.Run train(Path root, Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--images", root.resolve("images").toString(),
                "--masks", root.resolve("masks").toString(), "--val-fraction", "0.5", "--num-classes", "2",
                "--model", "quickstart", "--iterations", "2", "--batch-size", "2", "--no-progress", "--output",
                out.toString()));
        args.addAll(List.of(extra));
        return CliTest.run(args.toArray(String[]::new));
    }

    @Test
    void aModelTrainedAtHalfScalePredictsAndEvaluatesAtTheImagesOwnSize() throws IOException {
        Path root = data(96, 128);
        Path run = dir.resolve("run");
        CliTest.Run r = train(root, run, "--scale", "0.5", "--random-scale", "0.75,1.25", "--crop", "48x64",
                "--rotate", "10", "--color-jitter", "0.2", "--vertical-flip");
        assertEquals(0, r.code(), r.err());
        Preprocessing p = Checkpoint.readMetadata(run.resolve("last.zip")).map(TrainingMetadata::preprocessing)
                .orElseThrow();
        assertEquals(0.5, p.scale(), "the model remembers its input scale");
        String config = Files.readString(run.resolve("config.yaml"));
        assertTrue(config.contains("scale: 0.5") && config.contains("minScale: 0.75")
                && config.contains("rotation: 10.0") && config.contains("colorJitter: 0.2"), config);

        Path predictions = dir.resolve("pred");
        CliTest.Run pr = CliTest.run("predict", "--model", run.resolve("last.zip").toString(), "--input",
                root.resolve("images").toString(), "--output", predictions.toString());
        assertEquals(0, pr.code(), pr.err());
        BufferedImage map = ImageIO.read(predictions.resolve("masks/0.png").toFile());
        assertEquals(96, map.getHeight(), "class map at the image's own size, not the model's input size");
        assertEquals(128, map.getWidth());

        CliTest.Run ev = CliTest.run("evaluate", "--model", run.resolve("last.zip").toString());
        assertEquals(0, ev.code(), ev.err());
        assertTrue(ev.out().contains("2 images, 24576 pixels counted"), ev.out()); // 2 x 96 x 128: full size
    }

    /** U-Net's elastic deformation: {@code --elastic PIXELS[,GRID]} sets data.elastic and data.elasticGrid. */
    @Test
    void elasticDeformationIsWrittenToTheRunsSettings() throws IOException {
        Path root = data(40, 56);
        Path run = dir.resolve("elastic");
        CliTest.Run r = train(root, run, "--elastic", "10", "--crop", "32x32", "--flip");
        assertEquals(0, r.code(), r.err());
        String config = Files.readString(run.resolve("config.yaml"));
        assertTrue(config.contains("elastic: 10.0") && config.contains("elasticGrid: 3"), config);

        assertEquals(json("{\"elastic\": 4.5, \"elasticGrid\": 5}"), flagsTree("--elastic=4.5,5"));
        assertEquals(json("{\"elastic\": 10.0}"), flagsTree("--elastic", "10"), "without GRID the settings' grid"
                + " stays");
        assertEquals(json("{}"), flagsTree());
    }

    @Test
    void badElasticValuesAreUsageErrorsWithAnExample() throws IOException {
        Path root = data(40, 56);
        for (String bad : List.of("ten", "-1", "10,1", "10,2.5", "10,3,3", "", "NaN", "Infinity")) {
            CliTest.Run r = train(root, dir.resolve("bad"), "--elastic", bad);
            assertEquals(2, r.code(), bad + ": " + r.err());
            assertTrue(r.err().contains("--elastic '" + bad + "'") && r.err().contains("e.g. --elastic 10 or"
                    + " --elastic 10,3"), r.err());
        }
    }

    /** The data flags given, as the settings tree laid over the file. */
    private static JsonNode flagsTree(String... args) {
        DataFlags flags = new DataFlags();
        new CommandLine(flags).parseArgs(args);
        return ConfigFiles.JSON.valueToTree(flags);
    }

    private static JsonNode json(String text) throws IOException {
        return ConfigFiles.JSON.readTree(text);
    }

    @Test
    void resizeToAFixedSizeAndBadValuesAreUsageErrors() throws IOException {
        Path root = data(40, 56);
        CliTest.Run r = train(root, dir.resolve("fixed"), "--resize", "32x32");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of(32, 32), Checkpoint.readMetadata(dir.resolve("fixed/last.zip"))
                .map(TrainingMetadata::preprocessing).orElseThrow().resize());

        CliTest.Run both = train(root, dir.resolve("both"), "--resize", "32x32", "--scale", "0.5");
        assertEquals(2, both.code(), both.err());
        assertTrue(both.err().contains("either --scale or --resize"), both.err());
        CliTest.Run zero = train(root, dir.resolve("zero"), "--scale", "0");
        assertEquals(2, zero.code(), zero.err());
        assertTrue(zero.err().contains("--scale (YAML data.scale) is 0.0"), zero.err());
        CliTest.Run range = train(root, dir.resolve("range"), "--random-scale", "2,1", "--crop", "32x32");
        assertEquals(2, range.code(), range.err());
        assertTrue(range.err().contains("--random-scale '2,1'"), range.err());
        CliTest.Run size = train(root, dir.resolve("size"), "--resize", "32by32");
        assertEquals(2, size.code(), size.err());
        assertTrue(size.err().contains("--resize '32by32' is not a size"), size.err());
    }
}
