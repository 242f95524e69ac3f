package io.segnet.spark;

import io.segnet.data.dataset.SegmentationDataset;
import io.segnet.inference.Evaluation;
import io.segnet.inference.FolderPrediction;
import io.segnet.inference.OutputFolderException;
import io.segnet.inference.Predictor;
import io.segnet.inference.PredictorConfig;
import io.segnet.inference.render.Overlay;
import io.segnet.inference.render.Palette;
import io.segnet.metrics.MetricConfig;
import io.segnet.metrics.MetricReport;
import io.segnet.metrics.Reduction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Distributed prediction and evaluation on {@code local[2]} against the single-machine tools (issue 20). */
class SparkPredictionTest {

    @TempDir
    static Path tmp;
    static JavaSparkContext sc;
    static SegmentationDataset data;
    static Path model;

    @BeforeAll
    static void setUp() throws IOException {
        SegmentationDataset train = SparkFixtures.writeData(tmp.resolve("train"), 5, 16);
        data = SparkFixtures.writeData(tmp.resolve("test"), 11, 9);
        model = SparkFixtures.trainedModel(tmp.resolve("run"), train, data, 1);
        sc = SparkFixtures.spark(2, 1);
    }

    @AfterAll
    static void tearDown() {
        if (sc != null) {
            sc.stop();
        }
    }

    /** Every file under {@code dir} by relative path, with its bytes. */
    static Map<String, byte[]> files(Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }

    static void assertSameFiles(Path expected, Path actual) throws IOException {
        Map<String, byte[]> e = files(expected);
        Map<String, byte[]> a = files(actual);
        assertEquals(e.keySet(), a.keySet());
        for (String k : e.keySet()) {
            assertArrayEquals(e.get(k), a.get(k), k);
        }
    }

    /** The single-machine prediction with segnet predict's defaults. */
    static Path predictOnOneMachine(PredictorConfig config, String name) throws IOException {
        SparkModel.Loaded m = SparkModel.read(model.toString(), sc.hadoopConfiguration()).load();
        Predictor p = m.predictor(config);
        FolderPrediction.Options options = new FolderPrediction.Options(java.util.EnumSet.allOf(
                FolderPrediction.Output.class), Palette.readable(m.classNames().size()), m.classNames(),
                new Overlay.Style(0.5, 256, Overlay.namedBackground(m.classNames())), false, false, 2);
        Path out = tmp.resolve(name);
        FolderPrediction.run(p, data.imageDir(), out, options);
        return out;
    }

    @Test
    void writesTheSameFilesAsSegnetPredictByteForByte() throws IOException {
        PredictorConfig whole = PredictorConfig.defaults();
        Path one = predictOnOneMachine(whole, "one");
        Path spark = tmp.resolve("spark");
        SparkPrediction.Summary s = SparkPrediction.run(sc, model.toString(), data.imageDir().toString(),
                spark.toString(), SparkPrediction.Options.defaults());
        assertEquals(9, s.images());
        assertEquals(27, s.files());
        assertTrue(s.failures().isEmpty(), s.failures().toString());
        assertSameFiles(one, spark);

        // sliding windows and flips, as on one machine
        PredictorConfig tta = PredictorConfig.defaults().withTile(16, 16).withOverlap(0.5).withFlips(true, true);
        Path oneTta = predictOnOneMachine(tta, "one-tta");
        Path sparkTta = tmp.resolve("spark-tta");
        SparkPrediction.run(sc, model.toString(), data.imageDir().toString(), sparkTta.toString(),
                SparkPrediction.Options.defaults().withPredictor(tta));
        assertSameFiles(oneTta, sparkTta);
    }

    @Test
    void reportsUnreadableImagesAndPredictsTheOthers() throws IOException {
        Path in = Files.createDirectories(tmp.resolve("mixed"));
        List<String> uris = new ArrayList<>();
        for (String stem : List.of("img000", "img001")) {
            Files.copy(data.imageDir().resolve(stem + ".png"), in.resolve(stem + ".png"));
            uris.add(in.resolve(stem + ".png").toString());
        }
        Files.write(in.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        uris.add(in.resolve("broken.png").toString());
        uris.add(in.resolve("missing.png").toString());
        JavaRDD<String> rdd = sc.parallelize(uris, 2);
        Path out = tmp.resolve("mixed-out");
        SparkPrediction.Summary s = SparkPrediction.run(sc, model.toString(), rdd, out.toString(),
                SparkPrediction.Options.defaults().withOutputs(java.util.Set.of(FolderPrediction.Output.INDEX)));
        assertEquals(2, s.images());
        assertEquals(2, s.failures().size(), s.failures().toString());
        assertTrue(s.failures().get(0).image().endsWith("broken.png"), s.failures().toString());
        assertTrue(s.failures().get(0).reason().contains("corrupt") || s.failures().get(0).reason().contains("not an"
                + " image"), s.failures().get(0).reason());
        assertTrue(s.failures().get(1).reason().contains("does not exist"), s.failures().get(1).reason());
        assertTrue(Files.isRegularFile(out.resolve("masks/img001.png")));
        assertFalse(Files.exists(out.resolve("masks/broken.png")));
    }

    @Test
    void neverWritesAmongTheInputsOrOverFilesItDidNotWrite() throws IOException {
        String images = data.imageDir().toString();
        // into the input folder
        assertThrows(OutputFolderException.class, () -> SparkPrediction.run(sc, model.toString(), images,
                images, SparkPrediction.Options.defaults()));
        // a folder holding a user's file
        Path user = Files.createDirectories(tmp.resolve("user/masks"));
        Files.writeString(user.resolve("img000.png"), "mine");
        OutputFolderException e = assertThrows(OutputFolderException.class, () -> SparkPrediction.run(sc,
                model.toString(), images, tmp.resolve("user").toString(), SparkPrediction.Options.defaults()));
        assertTrue(e.getMessage().contains("did not write"), e.getMessage());
        assertEquals("mine", Files.readString(user.resolve("img000.png")));
        // a model that is not there: refused before the output folder is made
        assertThrows(java.nio.file.NoSuchFileException.class, () -> SparkPrediction.run(sc,
                tmp.resolve("nothere.zip").toString(), images, tmp.resolve("never").toString(),
                SparkPrediction.Options.defaults()));
        assertFalse(Files.exists(tmp.resolve("never")));
        // an earlier run: only with overwrite
        Path again = tmp.resolve("again");
        SparkPrediction.run(sc, model.toString(), images, again.toString(), SparkPrediction.Options.defaults());
        e = assertThrows(OutputFolderException.class, () -> SparkPrediction.run(sc, model.toString(), images,
                again.toString(), SparkPrediction.Options.defaults()));
        assertTrue(e.getMessage().contains("overwrite"), e.getMessage());
        SparkPrediction.Summary s = SparkPrediction.run(sc, model.toString(), images, again.toString(),
                SparkPrediction.Options.defaults().withOverwrite(true));
        assertEquals(9, s.images());
    }

    @Test
    void evaluationEqualsTheSingleMachineReport() throws IOException {
        SparkModel.Loaded m = SparkModel.read(model.toString(), sc.hadoopConfiguration()).load();
        for (Reduction reduction : Reduction.values()) {
            MetricConfig metrics = MetricConfig.of(data.classNames()).withReduction(reduction);
            PredictorConfig tta = PredictorConfig.defaults().withFlips(true, false);
            MetricReport one = Evaluation.run(m.predictor(tta), data, metrics, 2, null);
            List<SparkEvaluation.ImageMask> pairs = SparkEvaluation.pairs(data.imageDir().toString(),
                    data.maskDir().toString(), SparkFixtures.DATASET, sc.hadoopConfiguration());
            assertEquals(9, pairs.size());
            MetricReport spark = SparkEvaluation.run(sc, model.toString(), sc.parallelize(pairs, 3),
                    SparkFixtures.DATASET, tta, metrics);
            assertArrayEquals(one.confusionMatrix(), spark.confusionMatrix(), reduction.toString());
            assertEquals(one.images(), spark.images());
            if (reduction == Reduction.DATASET) {
                assertEquals(one, spark);
            } else {
                assertEquals(one.meanIoU(), spark.meanIoU(), 1e-12);
            }
        }
    }
}
