package io.segnet.cli;

import io.segnet.metrics.MetricReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class M2nistQuickstartTest {

    @TempDir
    Path dir;

    @Test
    void aSmallQuickstartWritesEveryOutput() throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        Path out = dir.resolve("qs");
        M2nistQuickstart.Options o = new M2nistQuickstart.Options(out, false, 5, 32, 12, 1, 8, 3e-3, 3, false);
        M2nistQuickstart.Result r = M2nistQuickstart.run(o, new PrintStream(text, true, StandardCharsets.UTF_8));
        for (String f : List.of("best.zip", "last.zip", "metrics.jsonl", "curve.png", "config.yaml", "metrics.json",
                "report.md", "confusion.png")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        try (Stream<Path> s = Files.list(out.resolve("overlays"))) {
            assertEquals(3, s.count());
        }
        assertTrue(Files.exists(out.resolve("predictions/00000.png")));
        assertTrue(Files.exists(out.resolve("predictions/00000_truth.png")));
        assertEquals(12, r.report().images());
        assertEquals(r.report(), MetricReport.readJson(out.resolve("metrics.json")));
        String printed = text.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("mIoU") && printed.contains("output folder"), printed);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> M2nistQuickstart.run(o, new PrintStream(new ByteArrayOutputStream())));
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
    }
}
