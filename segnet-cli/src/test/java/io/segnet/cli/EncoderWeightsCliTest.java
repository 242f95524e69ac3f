package io.segnet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.segnet.models.SegmentationModel;
import io.segnet.models.weights.StateDict;
import io.segnet.train.ConfigFiles;
import io.segnet.train.checkpoint.Checkpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code segnet train --encoder-weights} in-process, with segnet-models' torchvision-layout ResNet-18 golden of width 4
 * ({@code resnet18_w4.pth}, zip format) on M2NIST images read as RGB.
 */
class EncoderWeightsCliTest {

    /** segnet-models' golden (the test runs in segnet-cli's folder, as Maven runs it). */
    static final Path WEIGHTS = Path.of("../segnet-models/src/test/resources/weights/resnet18_w4.pth");

    @TempDir
    static Path dir;

    private static Path settings;

    @BeforeAll
    static void data() throws IOException {
        CliTest.Run r = CliTest.run("generate-m2nist", "--output", dir.resolve("m2").toString(), "--train", "12",
                "--validation", "4", "--seed", "5");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(WEIGHTS), WEIGHTS.toAbsolutePath() + " is missing");
        settings = dir.resolve("run.yaml");
        Files.writeString(settings, "model:\n  name: unet\n  encoder: {type: resnet, depth: 18, outputStride: 32,"
                + " width: 4}\n  encoderWeights: " + WEIGHTS.toAbsolutePath() + "\n");
    }

    private static List<String> data(String... more) {
        List<String> args = new ArrayList<>(List.of("--data", "folder", "--images",
                dir.resolve("m2/train/image").toString(), "--masks", dir.resolve("m2/train/mask").toString(),
                "--val-images", dir.resolve("m2/validation/image").toString(), "--val-masks",
                dir.resolve("m2/validation/mask").toString(), "--num-classes", "11", "--batch-size", "4",
                "--no-progress"));
        args.addAll(List.of(more));
        return args;
    }

    private static CliTest.Run train(List<String> args) {
        List<String> all = new ArrayList<>(List.of("train"));
        all.addAll(args);
        return CliTest.run(all.toArray(String[]::new));
    }

    @Test
    void importsTheEncoderFreezesItNormalisesLikeImageNetAndTheRunLoadsForPrediction() throws IOException {
        Path out = dir.resolve("frozen");
        CliTest.Run r = train(data("--config", settings.toString(), "--image-channels", "3", "--epochs", "1",
                "--freeze-encoder-epochs", "1", "--encoder-lr-scale", "0.1", "--output", out.toString()));
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("resnet18_w4.pth (TORCH_ZIP): 100 tensors loaded, 22 dropped, 0 unexpected,"
                + " 0 missing"), r.out());
        assertTrue(r.out().contains("normalisation: ImageNet's mean [0.485, 0.456, 0.406], std [0.229, 0.224, 0.225]"),
                r.out());

        JsonNode report = ConfigFiles.JSON.readTree(out.resolve("encoder-weights.json").toFile());
        assertEquals(100, report.at("/report/used").size());
        assertTrue(report.at("/report/dropped").toString().contains("fc.weight"), report.toString());
        assertEquals(0, report.at("/report/missing").size());
        assertEquals("resnet", report.at("/encoder/type").asText());
        JsonNode config = ConfigFiles.YAML.readTree(out.resolve("config.yaml").toFile());
        assertEquals("[0.485,0.456,0.406]", config.at("/data/mean").toString());
        assertEquals(1, config.at("/trainer/freezeEncoderEpochs").asInt());
        assertEquals(0.1, config.at("/trainer/encoderLrScale").asDouble());

        // frozen for the run's one epoch: the encoder holds the file's tensors exactly
        SegmentationModel last = SegmentationModel.load(out.resolve("last.zip"));
        StateDict file = StateDict.read(WEIGHTS);
        assertArrayEquals(file.get("conv1.weight").toFloats(),
                last.graph().getLayer("encoder.stem.conv").getParam("W").dup().data().asFloat());
        assertArrayEquals(file.get("layer4.1.bn2.running_var").toFloats(),
                last.graph().getLayer("encoder.layer4.block1.conv2.bn").getParam("runningVar").dup().data().asFloat());
        assertEquals(List.of(0.485, 0.456, 0.406),
                Checkpoint.readMetadata(out.resolve("last.zip")).orElseThrow().preprocessing().mean());

        CliTest.Run p = CliTest.run("predict", "--model", out.resolve("last.zip").toString(), "--input",
                dir.resolve("m2/validation/image").toString(), "--output", dir.resolve("pred").toString());
        assertEquals(0, p.code(), p.err());
        try (var files = Files.walk(dir.resolve("pred"))) {
            assertTrue(files.anyMatch(f -> f.toString().endsWith(".png")), "predicted masks");
        }

        // --init still starts from a segnet model (the one just trained), with the normalisation given by flag
        Path fine = dir.resolve("init");
        CliTest.Run i = train(data("--init", out.resolve("last.zip").toString(), "--image-channels", "3", "--mean",
                "0.485,0.456,0.406", "--std", "0.229,0.224,0.225", "--epochs", "1", "--lr", "1e-4", "--output",
                fine.toString()));
        assertEquals(0, i.code(), i.err() + i.out());
        assertFalse(Files.exists(fine.resolve("encoder-weights.json")));
        assertEquals(List.of(0.229, 0.224, 0.225),
                Checkpoint.readMetadata(fine.resolve("last.zip")).orElseThrow().preprocessing().std());
    }

    @Test
    void givenNormalisationWinsAndTheRunIsWarned() {
        Path out = dir.resolve("own-normalisation");
        CliTest.Run r = train(data("--config", settings.toString(), "--image-channels", "3", "--mean", "0.5",
                "--std", "0.25", "--iterations", "2", "--output", out.toString()));
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("normalisation: mean [0.5], std [0.25] as given; note that torchvision's"), r.out());
    }

    @Test
    void mistakesAreExplained() {
        CliTest.Run r = train(data("--model", "unet", "--encoder", "resnet99", "--output",
                dir.resolve("x1").toString()));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown encoder 'resnet99'"), r.err());

        r = train(data("--init", "a.zip", "--encoder-weights", WEIGHTS.toString(), "--output",
                dir.resolve("x2").toString()));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("either --init"), r.err());

        r = train(data("--config", settings.toString(), "--epochs", "1", "--output", dir.resolve("x3").toString()));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("3-channel images") && r.err().contains("--image-channels 3"), r.err());

        r = train(data("--model", "unet", "--encoder", "resnet18", "--encoder-weights", WEIGHTS.toString(),
                "--image-channels", "3", "--output", dir.resolve("x4").toString()));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("conv1.weight") && r.err().contains("[4, 3, 7, 7]"), r.err());

        r = train(data("--encoder", "resnet18", "--output", dir.resolve("x5").toString()));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("quickstart model has its own small encoder"), r.err());

        r = train(data("--freeze-encoder-epochs", "3", "--epochs", "2", "--output", dir.resolve("x6").toString()));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("freezeEncoderEpochs is 3"), r.err());
    }
}
