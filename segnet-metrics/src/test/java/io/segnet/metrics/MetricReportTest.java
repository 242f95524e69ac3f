package io.segnet.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricReportTest {

    private static final List<String> NAMES = List.of("road", "car", "person", "rider | cyclist", "train");

    /** The hand-computed five-class report of {@link SegmentationMetricsTest}: class 4 is NaN everywhere. */
    private static MetricReport fiveClassReport() {
        ConfusionMatrix m = new ConfusionMatrix(5).add(ConfusionMatrixTest.PREDICTION, ConfusionMatrixTest.TRUTH);
        return MetricReport.of(m, NAMES, 1.0, 1);
    }

    private static MetricReport randomReport(int classes, Reduction reduction, long seed) {
        Random random = new Random(seed);
        int[] truth = new int[4000];
        int[] prediction = new int[4000];
        for (int i = 0; i < truth.length; i++) {
            truth[i] = random.nextInt(20) == 0 ? 255 : random.nextInt(classes);
            prediction[i] = random.nextInt(4) == 0 ? random.nextInt(classes) : Math.max(0, truth[i] % classes);
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            names.add("class_" + c);
        }
        SegmentationEvaluator eval = new SegmentationEvaluator(MetricConfig.of(names).withReduction(reduction));
        for (int img = 0; img < 4; img++) {
            eval.update(java.util.Arrays.copyOfRange(prediction, img * 1000, (img + 1) * 1000),
                    java.util.Arrays.copyOfRange(truth, img * 1000, (img + 1) * 1000));
        }
        return eval.report();
    }

    @Test
    void jsonRoundTripKeepsNaNAsNull() throws IOException {
        MetricReport report = fiveClassReport();
        assertTrue(Double.isNaN(report.classes().get(4).iou()));
        String json = report.toJson();
        MetricReport back = MetricReport.fromJson(json);
        assertEquals(report, back);
        assertEquals(report.hashCode(), back.hashCode());

        JsonNode tree = new ObjectMapper().readTree(json);
        assertTrue(tree.get("meanIoU").isNumber());
        assertEquals(0.5625, tree.get("meanIoU").asDouble(), 1e-15);
        assertTrue(tree.get("classes").get(4).get("iou").isNull(), json);
        assertTrue(tree.get("zeroDivision").isNull());
        assertEquals("DATASET", tree.get("reduction").asText());
        assertEquals(3, tree.get("confusionMatrix").get(0).get(0).asLong());

        for (Reduction reduction : Reduction.values()) {
            MetricReport r = randomReport(21, reduction, 5);
            assertEquals(r, MetricReport.fromJson(r.toJson()));
        }
    }

    @Test
    void jsonFileIsWrittenAtomicallyAndNeverOverwrittenUnlessAsked(@TempDir Path dir) throws IOException {
        MetricReport report = fiveClassReport();
        Path file = dir.resolve("sub/report.json");
        report.writeJson(file, false);
        assertEquals(report, MetricReport.readJson(file));

        MetricReport other = randomReport(5, Reduction.DATASET, 1);
        byte[] before = Files.readAllBytes(file);
        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
                () -> other.writeJson(file, false));
        assertTrue(e.getMessage().contains("overwrite"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));

        other.writeJson(file, true);
        assertEquals(other, MetricReport.readJson(file));
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void badJsonFailsWithAMessage(@TempDir Path dir) throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MetricReport.fromJson("{\"reduction\": \"DATASET\"}"));
        assertTrue(e.getMessage().startsWith("not a segnet metric report"), e.getMessage());
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "[1, 2]");
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> MetricReport.readJson(file));
        assertTrue(e2.getMessage().contains("broken.json"), e2.getMessage());
        // A report whose per-class counts disagree with its matrix is rejected.
        String tampered = fiveClassReport().toJson().replaceFirst("\"truthPixels\" : 4", "\"truthPixels\" : 5");
        assertNotEquals(fiveClassReport().toJson(), tampered);
        IllegalArgumentException e3 = assertThrows(IllegalArgumentException.class,
                () -> MetricReport.fromJson(tampered));
        assertTrue(e3.getMessage().contains("truthPixels 5"), e3.getMessage());
    }

    @Test
    void tablesShowNamesAndPercentages() {
        MetricReport report = fiveClassReport();
        String md = report.toMarkdown();
        assertTrue(md.contains("| aAcc (PA) | mAcc (MPA) | mIoU | FWIoU | mDice | mPrecision | mF1 |"), md);
        assertTrue(md.contains("| 75.00 | 80.56 | 56.25 | 68.75 | 63.10 | 66.67 | 63.10 |"), md);
        assertTrue(md.contains("| road | 75.00 | 75.00 | 85.71 | 100.00 | 85.71 | 4 | 3 |"), md);
        assertTrue(md.contains("| rider \\| cyclist | 0.00 | nan | 0.00 | 0.00 | 0.00 | 0 | 1 |"), md);
        assertTrue(md.contains("| train | nan | nan | nan | nan | nan | 0 | 0 |"), md);

        String console = report.toConsoleTable();
        List<String> lines = console.lines().toList();
        assertTrue(lines.get(0).startsWith("DATASET"), lines.get(0));
        assertTrue(console.contains("| road            |  75.00 |"), console);
        // Every line of one table has the same width.
        List<String> classTable = lines.subList(6, lines.size());
        assertTrue(classTable.stream().allMatch(l -> l.length() == classTable.get(0).length()), console);
        assertTrue(report.toString().contains("MIoU 56.25"), report.toString());
    }

    @Test
    void heatmapIsAPngOfTheStatedSize(@TempDir Path dir) throws IOException {
        for (int classes : new int[] {2, 21}) {
            MetricReport report = randomReport(classes, Reduction.DATASET, classes);
            Path file = dir.resolve("confusion-" + classes + ".png");
            report.writeConfusionHeatmap(file, 900, 760, false);
            BufferedImage image = ImageIO.read(file.toFile());
            assertNotNull(image, "decodable PNG");
            assertEquals(900, image.getWidth());
            assertEquals(760, image.getHeight());
        }
        // A report with an empty row (class 4 has no ground truth) still draws.
        Path file = dir.resolve("five.png");
        fiveClassReport().writeConfusionHeatmap(file, 640, 480, false);
        byte[] before = Files.readAllBytes(file);
        assertThrows(FileAlreadyExistsException.class,
                () -> randomReport(5, Reduction.DATASET, 3).writeConfusionHeatmap(file, 800, 800, false));
        assertArrayEquals(before, Files.readAllBytes(file));
        randomReport(5, Reduction.DATASET, 3).writeConfusionHeatmap(file, 800, 800, true);
        assertEquals(800, ImageIO.read(file.toFile()).getWidth());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fiveClassReport().writeConfusionHeatmap(dir.resolve("tiny.png"), 50, 50, false));
        assertTrue(e.getMessage().contains("50 x 50"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("tiny.png")));
    }

    @Test
    void rowNormalisedMatrixAndConversions() {
        MetricReport report = fiveClassReport();
        double[][] f = report.rowNormalizedConfusion();
        assertArrayEquals(new double[] {0.75, 0.25, 0, 0, 0}, f[0], 1e-15);
        assertArrayEquals(new double[] {0, 2.0 / 3, 0, 1.0 / 3, 0}, f[1], 1e-15);
        assertTrue(Double.isNaN(f[3][0]) && Double.isNaN(f[4][4]));
        assertEquals(new ConfusionMatrix(5).add(ConfusionMatrixTest.PREDICTION, ConfusionMatrixTest.TRUTH),
                report.toConfusionMatrix());
        assertEquals(8, report.countedPixels());
        assertEquals(NAMES, report.classNames());
        assertEquals(report.meanPixelAccuracy(), report.meanRecall(), 0);
    }

    @Test
    void reportIsImmutableAndValidated() {
        MetricReport report = fiveClassReport();
        long[][] matrix = report.confusionMatrix();
        matrix[0][0] = 1000;
        assertEquals(3, report.confusionMatrix()[0][0]);
        assertThrows(UnsupportedOperationException.class, () -> report.classes().clear());

        List<ClassMetrics> rows = new ArrayList<>(report.classes());
        long[][] counts = report.confusionMatrix();
        MetricReport copy = new MetricReport(report.reduction(), report.ignoreValue(), report.fScoreBeta(),
                report.zeroDivision(), report.images(), report.ignoredPixels(), report.pixelAccuracy(),
                report.meanPixelAccuracy(), report.meanIoU(), report.frequencyWeightedIoU(), report.meanDice(),
                report.meanPrecision(), report.meanFScore(), rows, counts);
        counts[0][0] = 1000;
        rows.clear();
        assertEquals(report, copy);

        IllegalArgumentException wrongCounts = assertThrows(IllegalArgumentException.class,
                () -> new MetricReport(Reduction.DATASET, 255, 1, Double.NaN, 1, 0, 1, 1, 1, 1, 1, 1, 1,
                        List.of(new ClassMetrics("a", 1, 1, 1, 1, 1, 2, 2), new ClassMetrics("b", 1, 1, 1, 1, 1, 1, 1)),
                        new long[][] {{2, 0}, {0, 2}}));
        assertTrue(wrongCounts.getMessage().contains("class 'b'"), wrongCounts.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new MetricReport(Reduction.DATASET, 255, 1, Double.NaN, 1, 0, 1, 1, 1, 1, 1, 1, 1,
                        List.of(new ClassMetrics("a", 1, 1, 1, 1, 1, 2, 2)), new long[][] {{2, 0}}));
        assertThrows(IllegalArgumentException.class,
                () -> new MetricReport(Reduction.DATASET, 255, 1, Double.NaN, 1, 0, 1.5, 1, 1, 1, 1, 1, 1,
                        List.of(new ClassMetrics("a", 1, 1, 1, 1, 1, 2, 2)), new long[][] {{2}}));
        IllegalArgumentException score = assertThrows(IllegalArgumentException.class,
                () -> new ClassMetrics("a", -0.1, 1, 1, 1, 1, 0, 0));
        assertTrue(score.getMessage().contains("iou is -0.1"), score.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> MetricReport.of(new ConfusionMatrix(3), List.of("a", "b"), 1, 0));
    }
}
