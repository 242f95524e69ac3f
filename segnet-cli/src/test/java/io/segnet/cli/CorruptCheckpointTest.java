package io.segnet.cli;

import io.segnet.models.LossConfig;
import io.segnet.models.Upsampling;
import io.segnet.models.encoder.SmallEncoderConfig;
import io.segnet.models.unet.UNetConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A corrupt or truncated checkpoint (issue 13 item 9): {@code train --resume}, {@code train --init},
 * {@code evaluate --model} and {@code predict --model} exit 1 with a message that names the file and gives the fix
 * with the flag to type: the run's other checkpoint ({@code best.zip} for {@code last.zip} and the other way round)
 * when that one is intact.
 */
class CorruptCheckpointTest {

    @TempDir
    static Path dir;

    /** A finished 1-epoch run: best.zip and last.zip. */
    private static Path run;

    @BeforeAll
    static void tinyRun() throws IOException {
        CliTest.Run g = CliTest.run("generate-m2nist", "--output", dir.resolve("m2").toString(), "--train", "8",
                "--validation", "4", "--seed", "2");
        assertEquals(0, g.code(), g.err());
        Path model = dir.resolve("tiny.json");
        Files.writeString(model, new UNetConfig(1, 11, 64, 84, new SmallEncoderConfig(4, 2, true),
                Upsampling.TRANSPOSED, true, List.of(), LossConfig.crossEntropy()).toJson());
        Path m2 = dir.resolve("m2");
        run = dir.resolve("run");
        CliTest.Run t = CliTest.run("train", "--data", "folder", "--images", m2.resolve("train/image").toString(),
                "--masks", m2.resolve("train/mask").toString(), "--val-images",
                m2.resolve("validation/image").toString(), "--val-masks", m2.resolve("validation/mask").toString(),
                "--num-classes", "11", "--model-config", model.toString(), "--epochs", "1", "--batch-size", "4",
                "--no-progress", "--output", run.toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(Files.isRegularFile(run.resolve("best.zip")) && Files.isRegularFile(run.resolve("last.zip")));
    }

    /** A copy of the run folder whose {@code name} is cut to half its length. */
    private static Path withTruncated(String copy, String name) throws IOException {
        Path target = copyRun(copy);
        byte[] bytes = Files.readAllBytes(target.resolve(name));
        Files.write(target.resolve(name), Arrays.copyOf(bytes, bytes.length / 2));
        return target;
    }

    private static Path copyRun(String copy) throws IOException {
        Path target = dir.resolve(copy);
        Files.createDirectories(target);
        try (Stream<Path> s = Files.list(run)) {
            for (Path p : s.toList()) {
                Files.copy(p, target.resolve(p.getFileName()));
            }
        }
        return target;
    }

    private static void assertNamesFileAndFix(CliTest.Run r, Path file, String fix) {
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(file + " is ") && r.err().contains("corrupt or truncated"), r.err());
        assertTrue(r.err().contains(fix), "expected the fix '" + fix + "' in: " + r.err());
    }

    @Test
    void aTruncatedLastZipOnResumeSuggestsANewRunFromBestZip() throws IOException {
        Path cut = withTruncated("cut-resume", "last.zip");
        CliTest.Run r = CliTest.run("train", "--resume", "--output", cut.toString(), "--no-progress");
        assertNamesFileAndFix(r, cut.resolve("last.zip"), "--init " + cut.resolve("best.zip"));
        assertTrue(r.err().contains("segnet train --config " + cut.resolve("config.yaml")), r.err());
    }

    @Test
    void aTruncatedModelForEvaluatePredictOrInitSuggestsTheRunsOtherCheckpoint() throws IOException {
        Path cut = withTruncated("cut-model", "last.zip");
        Path last = cut.resolve("last.zip");
        String best = cut.resolve("best.zip").toString();
        assertNamesFileAndFix(CliTest.run("evaluate", "--model", last.toString()), last, "--model " + best);
        assertNamesFileAndFix(CliTest.run("predict", "--model", last.toString(), "--input",
                dir.resolve("m2/validation/image").toString(), "--output", dir.resolve("preds").toString()), last,
                "--model " + best);
        assertNamesFileAndFix(CliTest.run("train", "--config", cut.resolve("config.yaml").toString(), "--init",
                last.toString(), "--output", dir.resolve("fine").toString(), "--no-progress"), last, "--init " + best);
    }

    /** The intact run evaluates, and says its images come from the validation folders, not the training ones. */
    @Test
    void theIntactRunEvaluatesOnItsValidationFolders() {
        CliTest.Run r = CliTest.run("evaluate", "--model", run.resolve("best.zip").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("validation images of folder images=" + dir.resolve("m2/validation/image")),
                r.out());
    }

    /** An existing report or confusion file is refused before the evaluation, naming --overwrite, and left as is. */
    @Test
    void anExistingReportFileIsRefusedUnlessOverwriteIsGiven() throws IOException {
        Path scores = dir.resolve("mine.json");
        Files.writeString(scores, "{\"mine\": 1}");
        for (String flag : new String[]{"--report", "--markdown", "--confusion"}) {
            CliTest.Run r = CliTest.run("evaluate", "--model", run.resolve("best.zip").toString(), flag,
                    scores.toString());
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains(flag + " " + scores + " exists; give --overwrite"), r.err());
            assertEquals("{\"mine\": 1}", Files.readString(scores));
        }
        CliTest.Run r = CliTest.run("evaluate", "--model", run.resolve("best.zip").toString(), "--report",
                scores.toString(), "--overwrite");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(scores).contains("\"pixelAccuracy\""), Files.readString(scores));
    }

    /** A flipped byte inside the weights keeps the zip readable; its checksum still gives it away. */
    @Test
    void aDamagedBestZipIsRefusedAndLastZipSuggested() throws IOException {
        Path damaged = copyRun("damaged");
        Path best = damaged.resolve("best.zip");
        byte[] bytes = Files.readAllBytes(best);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(best, bytes);
        CliTest.Run r = CliTest.run("evaluate", "--model", best.toString());
        assertNamesFileAndFix(r, best, "--model " + damaged.resolve("last.zip"));
        assertTrue(r.err().contains("checksum"), r.err());
    }

    @Test
    void withoutAnIntactOtherCheckpointTheMessageSaysWhatToDo() throws IOException {
        Path cut = withTruncated("both-cut", "last.zip");
        byte[] bytes = Files.readAllBytes(cut.resolve("best.zip"));
        Files.write(cut.resolve("best.zip"), Arrays.copyOf(bytes, 100));
        assertNamesFileAndFix(CliTest.run("train", "--resume", "--output", cut.toString(), "--no-progress"),
                cut.resolve("last.zip"), "--overwrite");
        assertNamesFileAndFix(CliTest.run("evaluate", "--model", cut.resolve("best.zip").toString()),
                cut.resolve("best.zip"), "copy or export the file again");
    }
}
