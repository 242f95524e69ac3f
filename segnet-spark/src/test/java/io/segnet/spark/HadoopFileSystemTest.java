package io.segnet.spark;

import io.segnet.data.dataset.SegmentationDataset;
import io.segnet.inference.OutputFolderException;
import io.segnet.inference.PredictorConfig;
import io.segnet.metrics.MetricConfig;
import io.segnet.metrics.MetricReport;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The paths a cluster takes (HDFS, S3A): files reached through a Hadoop file system other than the local one. The
 * test file system {@code testfs:} is the local disk seen through Hadoop's API under another scheme, so the
 * non-local code paths (copies to local temporary files, writes through a temporary file and a rename, listing,
 * the output-folder rules) run and their results can be compared with the local ones.
 */
class HadoopFileSystemTest {

    /** The local disk under the scheme {@code testfs}. */
    public static final class TestFileSystem extends RawLocalFileSystem {
        @Override
        public URI getUri() {
            return URI.create("testfs:///");
        }

        @Override
        public String getScheme() {
            return "testfs";
        }
    }

    @TempDir
    static Path tmp;
    static JavaSparkContext sc;
    static SegmentationDataset data;
    static Path model;

    @BeforeAll
    static void setUp() throws IOException {
        SegmentationDataset train = SparkFixtures.writeData(tmp.resolve("train"), 5, 8);
        data = SparkFixtures.writeData(tmp.resolve("test"), 11, 5);
        model = SparkFixtures.trainedModel(tmp.resolve("run"), train, data, 1);
        sc = SparkFixtures.spark(2, 1);
        sc.hadoopConfiguration().set("fs.testfs.impl", TestFileSystem.class.getName());
        sc.hadoopConfiguration().setBoolean("fs.testfs.impl.disable.cache", true);
    }

    @AfterAll
    static void tearDown() {
        if (sc != null) {
            sc.stop();
        }
    }

    static String remote(Path p) {
        return "testfs://" + p.toAbsolutePath();
    }

    @Test
    void thePathsAreRemote() {
        assertFalse(HadoopFiles.isLocal(remote(tmp)));
        assertTrue(HadoopFiles.isLocal(tmp.toString()) && HadoopFiles.isLocal("file://" + tmp));
    }

    @Test
    void predictionThroughAHadoopFileSystemWritesTheLocalFilesAndKeepsTheRules() throws IOException {
        Path local = tmp.resolve("local-out");
        SparkPrediction.run(sc, model.toString(), data.imageDir().toString(), local.toString(),
                SparkPrediction.Options.defaults());
        Path out = tmp.resolve("remote-out");
        SparkPrediction.Summary s = SparkPrediction.run(sc, remote(model), remote(data.imageDir()), remote(out),
                SparkPrediction.Options.defaults());
        assertEquals(5, s.images());
        assertTrue(s.failures().isEmpty(), s.failures().toString());
        SparkPredictionTest.assertSameFiles(local, out);

        // the same rules as on the local disk
        assertThrows(OutputFolderException.class, () -> SparkPrediction.run(sc, remote(model),
                remote(data.imageDir()), remote(data.imageDir().resolve("out")), SparkPrediction.Options.defaults()));
        OutputFolderException again = assertThrows(OutputFolderException.class, () -> SparkPrediction.run(sc,
                remote(model), remote(data.imageDir()), remote(out), SparkPrediction.Options.defaults()));
        assertTrue(again.getMessage().contains("overwrite"), again.getMessage());
        assertEquals(5, SparkPrediction.run(sc, remote(model), remote(data.imageDir()), remote(out),
                SparkPrediction.Options.defaults().withOverwrite(true)).images());
        Path user = Files.createDirectories(tmp.resolve("user/color"));
        Files.writeString(user.resolve("notes.txt"), "mine");
        OutputFolderException foreign = assertThrows(OutputFolderException.class, () -> SparkPrediction.run(sc,
                remote(model), remote(data.imageDir()), remote(tmp.resolve("user")),
                SparkPrediction.Options.defaults()));
        assertTrue(foreign.getMessage().contains("did not write"), foreign.getMessage());
        assertEquals(List.of("notes.txt"), HadoopFiles.list(remote(user), sc.hadoopConfiguration()));
        try (var files = Files.list(out.resolve("masks"))) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
    }

    @Test
    void evaluationThroughAHadoopFileSystemEqualsTheLocalOne() throws IOException {
        MetricConfig metrics = MetricConfig.of(data.classNames());
        List<SparkEvaluation.ImageMask> local = SparkEvaluation.pairs(data.imageDir().toString(),
                data.maskDir().toString(), SparkFixtures.DATASET, sc.hadoopConfiguration());
        List<SparkEvaluation.ImageMask> remote = SparkEvaluation.pairs(remote(data.imageDir()),
                remote(data.maskDir()), SparkFixtures.DATASET, sc.hadoopConfiguration());
        assertEquals(local.stream().map(SparkEvaluation.ImageMask::stem).toList(),
                remote.stream().map(SparkEvaluation.ImageMask::stem).toList());
        assertTrue(remote.get(0).image().startsWith("testfs:"), remote.get(0).toString());
        MetricReport a = SparkEvaluation.run(sc, model.toString(), sc.parallelize(local, 2), SparkFixtures.DATASET,
                PredictorConfig.defaults(), metrics);
        MetricReport b = SparkEvaluation.run(sc, remote(model), sc.parallelize(remote, 3), SparkFixtures.DATASET,
                PredictorConfig.defaults(), metrics);
        assertEquals(a, b);

        Configuration conf = sc.hadoopConfiguration();
        Files.delete(data.maskDir().resolve("img004.png"));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> SparkEvaluation.pairs(
                remote(data.imageDir()), remote(data.maskDir()), SparkFixtures.DATASET, conf));
        assertTrue(missing.getMessage().contains("img004"), missing.getMessage());
    }

    @Test
    void writesAreAtomicAndRefuseToReplaceWithoutOverwrite() throws IOException {
        Configuration conf = sc.hadoopConfiguration();
        String f = remote(tmp.resolve("w/a.bin"));
        HadoopFiles.mkdirs(remote(tmp.resolve("w")), conf);
        HadoopFiles.write(f, new byte[] {1, 2, 3}, false, conf);
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> HadoopFiles.write(f, new byte[] {4}, false,
                conf));
        assertArrayEquals(new byte[] {1, 2, 3}, HadoopFiles.readAll(f, conf));
        HadoopFiles.write(f, new byte[] {4}, true, conf);
        assertArrayEquals(new byte[] {4}, Files.readAllBytes(tmp.resolve("w/a.bin")));
        assertEquals(List.of("a.bin"), HadoopFiles.list(remote(tmp.resolve("w")), conf));
        try (HadoopFiles.Local copy = HadoopFiles.local(f, conf)) {
            assertTrue(copy.copy());
            assertArrayEquals(new byte[] {4}, Files.readAllBytes(copy.path()));
        }
    }
}
