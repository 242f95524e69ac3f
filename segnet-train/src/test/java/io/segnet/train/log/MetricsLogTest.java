package io.segnet.train.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsLogTest {

    @TempDir
    Path dir;

    private static EpochRecord epoch(int e, long iteration, double miou) {
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("pixelAccuracy", 0.9);
        v.put("meanIoU", miou);
        return new EpochRecord(e, iteration, 0.5, 1e-3, 10, 1, 100, v, Map.of("a", Double.NaN), miou, true);
    }

    @Test
    void writesOneJsonRecordPerLineAndReadsThemBack() throws IOException {
        Path f = dir.resolve("metrics.jsonl");
        try (MetricsLog log = MetricsLog.create(f)) {
            log.append(new StepRecord(1, 10, 2.0, 1e-3, 50));
            log.append(epoch(1, 20, 0.4));
        }
        List<String> lines = Files.readAllLines(f);
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).startsWith("{\"type\":\"step\""), lines.get(0));
        assertTrue(lines.get(1).contains("\"classIoU\":{\"a\":null}"), "NaN is written as null: " + lines.get(1));
        List<LogRecord> back = MetricsLog.read(f);
        assertEquals(new StepRecord(1, 10, 2.0, 1e-3, 50), back.get(0));
        assertNull(((EpochRecord) back.get(1)).classIoU().get("a"));
        assertThrows(FileAlreadyExistsException.class, () -> MetricsLog.create(f));
    }

    @Test
    void resumeDropsRecordsAfterTheCheckpointAndACutOffLastLine() throws IOException {
        Path f = dir.resolve("m.jsonl");
        try (MetricsLog log = MetricsLog.create(f)) {
            log.append(new StepRecord(1, 10, 2.0, 1e-3, 50));
            log.append(epoch(1, 20, 0.4));
            log.append(new StepRecord(2, 30, 1.0, 1e-3, 50));
        }
        Files.writeString(f, "{\"type\":\"step\",\"epo", java.nio.file.StandardOpenOption.APPEND);
        assertEquals(3, MetricsLog.read(f).size(), "a line cut off by a crash is skipped");
        try (MetricsLog log = MetricsLog.resume(f, 20)) {
            assertEquals(2, log.records().size());
            log.append(new StepRecord(2, 30, 0.9, 1e-3, 50));
            assertEquals(1, log.epochs().size());
        }
        List<LogRecord> back = MetricsLog.read(f);
        assertEquals(3, back.size());
        assertEquals(0.9, ((StepRecord) back.get(2)).loss());
    }

    @Test
    void aDamagedLineInTheMiddleIsAnErrorNamingIt() throws IOException {
        Path f = dir.resolve("bad.jsonl");
        Files.writeString(f, "{\"type\":\"step\",\"epoch\":1,\"iteration\":1,\"loss\":1,\"learningRate\":1,"
                + "\"imagesPerSecond\":1}\nnot json\n{\"type\":\"step\",\"epoch\":1,\"iteration\":2,\"loss\":1,"
                + "\"learningRate\":1,\"imagesPerSecond\":1}\n");
        IOException e = assertThrows(IOException.class, () -> MetricsLog.read(f));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void theCurveIsAPng() throws IOException {
        Path png = dir.resolve("curve.png");
        TrainingCurve.write(png, List.of(new StepRecord(1, 10, 2.0, 1e-3, 50), new StepRecord(1, 20, 1.5, 1e-3, 50),
                epoch(1, 20, 0.4), new StepRecord(2, 30, 1.0, 1e-3, 50), epoch(2, 40, 0.6)), false);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(900, img.getWidth());
        assertEquals(500, img.getHeight());
        assertThrows(IllegalArgumentException.class, () -> TrainingCurve.write(dir.resolve("x.png"), List.of(), false));
    }
}
