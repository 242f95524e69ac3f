package io.segnet.cli;

import io.segnet.metrics.MetricReport;
import io.segnet.train.report.RunReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntBinaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 17: every run folder gets report.html, updated each epoch; segnet evaluate --report DIR writes the same. */
class RunReportCliTest {
    @TempDir
    Path dir;

    private Path data() throws IOException {
        Path root = dir.resolve("data");
        for (int i = 0; i < 6; i++) {
            int left = 8 + i;
            IntBinaryOperator inside = (y, x) -> x >= left && x < 28 && y >= 8 && y < 24 ? 1 : 0;
            CliTest.grayPng(root.resolve("images/" + i + ".png"), 32, 40, (y, x) -> inside.applyAsInt(y, x) == 1 ? 220
                    : 20);
            CliTest.grayPng(root.resolve("masks/" + i + ".png"), 32, 40, inside);
        }
        return root;
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    @Test
    void trainingWritesTheReportEachEpochAndEvaluateWritesOneForAnyModel() throws IOException {
        Path root = data();
        Path run = dir.resolve("run");
        CliTest.Run r = CliTest.run("train", "--images", root.resolve("images").toString(), "--masks",
                root.resolve("masks").toString(), "--val-fraction", "0.5", "--num-classes", "2", "--class-names",
                "background,block", "--model", "quickstart", "--epochs", "2", "--batch-size", "2", "--no-progress",
                "--output", run.toString());
        assertEquals(0, r.code(), r.err());
        String html = Files.readString(run.resolve(RunReport.FILE));
        assertTrue(html.contains("epoch 2 of 2") && html.contains("<h2>Training</h2>")
                && html.contains("<h2>Confusion matrix</h2>") && html.contains("block"), html.substring(0, 2000));
        assertEquals(4 * (3 + 3 + 3), count(html, "src=\"data:image/png;base64,"),
                "3 validation images: 3 fixed samples, 3 best, 3 worst, 4 panels each");
        assertFalse(html.contains("http://") || html.contains("https://"));
        assertTrue(r.out().contains("report.html"), r.out());

        Path folder = dir.resolve("eval-report");
        CliTest.Run ev = CliTest.run("evaluate", "--model", run.resolve("last.zip").toString(), "--report",
                folder.toString());
        assertEquals(0, ev.code(), ev.err());
        String evHtml = Files.readString(folder.resolve(RunReport.FILE));
        assertTrue(evHtml.contains("<h2>Classes</h2>") && !evHtml.contains("<h2>Training</h2>"), "no curves");
        assertEquals(3, MetricReport.readJson(folder.resolve("metrics.json")).images());
        CliTest.Run again = CliTest.run("evaluate", "--model", run.resolve("last.zip").toString(), "--report",
                folder.toString());
        assertEquals(2, again.code(), "an earlier report is kept without --overwrite");
        assertTrue(again.err().contains("--overwrite"), again.err());
        assertEquals(0, CliTest.run("evaluate", "--model", run.resolve("last.zip").toString(), "--report",
                folder.toString(), "--overwrite").code());
        Path images = root.resolve("images");
        CliTest.Run intoData = CliTest.run("evaluate", "--model", run.resolve("last.zip").toString(), "--report",
                images.toString());
        assertEquals(2, intoData.code(), "never among the user's files");
        assertTrue(intoData.err().contains("holds other files (0.png, 1.png, 2.png, ...)"), intoData.err());
        assertFalse(Files.exists(images.resolve(RunReport.FILE)) || Files.exists(images.resolve("metrics.json")));
        CliTest.Run unwritable = CliTest.run("evaluate", "--model", run.resolve("last.zip").toString(), "--report",
                "/proc/segnet-report");
        assertEquals(2, unwritable.code(), "refused before evaluating");
        assertTrue(unwritable.err().contains("cannot be created"), unwritable.err());
        Path json = dir.resolve("scores.json");
        assertEquals(0, CliTest.run("evaluate", "--model", run.resolve("last.zip").toString(), "--report",
                json.toString()).code());
        assertEquals(3, MetricReport.readJson(json).images(), "a .json path keeps its meaning: the scores as JSON");
    }
}
