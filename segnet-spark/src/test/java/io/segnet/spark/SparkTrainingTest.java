package io.segnet.spark;

import io.segnet.data.dataset.SegmentationDataset;
import io.segnet.data.transform.Augmentation;
import io.segnet.inference.Preprocessing;
import io.segnet.metrics.MetricReport;
import io.segnet.models.SegmentationModel;
import io.segnet.train.StopReason;
import io.segnet.train.Trainer;
import io.segnet.train.TrainerConfig;
import io.segnet.train.TrainingCallback;
import io.segnet.train.TrainingData;
import io.segnet.train.TrainingResult;
import io.segnet.train.checkpoint.RunDirectory;
import io.segnet.train.log.EpochRecord;
import io.segnet.train.log.MetricsLog;
import io.segnet.train.log.ProgressReporter;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Data-parallel training on {@code local[2]} (issue 20): equivalence, convergence, saving, retries and resuming. */
class SparkTrainingTest {

    @TempDir
    static Path tmp;
    static JavaSparkContext sc;
    static SegmentationDataset train;
    static SegmentationDataset validation;
    static SparkTrainingData data;
    static final Augmentation FLIP = new Augmentation(List.of(), 1, 1, true, false, 0, 0);
    static final Preprocessing NORMALIZE = Preprocessing.normalize(0.1, 0.3);

    @BeforeAll
    static void setUp() throws IOException {
        train = SparkFixtures.writeData(tmp.resolve("train"), 5, 16);
        validation = SparkFixtures.writeData(tmp.resolve("val"), 11, 8);
        sc = SparkFixtures.spark(2, 4);
        data = new SparkTrainingData(pairs(train), pairs(validation), SparkFixtures.DATASET, FLIP, NORMALIZE);
    }

    @AfterAll
    static void tearDown() {
        if (sc != null) {
            sc.stop();
        }
    }

    static List<SparkEvaluation.ImageMask> pairs(SegmentationDataset d) {
        return d.pairs().stream().map(p -> new SparkEvaluation.ImageMask(p.stem(), p.image().toString(),
                p.mask().toString())).toList();
    }

    static float[] params(SegmentationModel m) {
        return m.graph().params().dup().data().asFloat();
    }

    static float[] updater(SegmentationModel m) {
        return m.graph().getUpdater().getStateViewArray().dup().data().asFloat();
    }

    static List<EpochRecord> epochs(RunDirectory run) throws IOException {
        return MetricsLog.read(run.metrics()).stream().filter(r -> r instanceof EpochRecord)
                .map(r -> (EpochRecord) r).toList();
    }

    static SparkTraining.Result distributed(TrainerConfig config, String name, int workers, int every)
            throws IOException {
        return SparkTraining.on(sc, config, data, new SparkTraining.Distribution(workers, every))
                .train(SparkFixtures.model(), RunDirectory.create(tmp.resolve(name), false));
    }

    @Test
    void oneWorkerGivesTheSingleMachineRunExactly() throws IOException {
        TrainerConfig config = SparkFixtures.trainer(2);
        int multiple = SparkFixtures.model().inputSizeRule().multiple();
        RunDirectory plainDir = RunDirectory.create(tmp.resolve("plain"), false);
        TrainingResult plain = new Trainer(config).progress(ProgressReporter.silent()).stopOnShutdown(false)
                .train(SparkFixtures.model(), TrainingData.of(train, FLIP.transform(multiple), validation, NORMALIZE),
                        plainDir);
        // two rounds of 3 batches and one of 2 per 4-batch epoch would cut epochs; 3 steps per round: 3 + 1 a epoch
        SparkTraining.Result spark = distributed(config, "one-worker", 1, 3);
        assertEquals(StopReason.COMPLETED, spark.result().reason());
        assertEquals(4, spark.rounds().size());
        assertArrayEquals(params(plain.model()), params(spark.result().model()));
        assertArrayEquals(updater(plain.model()), updater(spark.result().model()));
        assertEquals(plain.model().graph().getIterationCount(), spark.result().model().graph().getIterationCount());
        List<EpochRecord> a = epochs(plainDir);
        List<EpochRecord> b = epochs(RunDirectory.resume(tmp.resolve("one-worker")));
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).trainLoss(), b.get(i).trainLoss(), "epoch " + (i + 1) + " loss");
            assertEquals(a.get(i).validation(), b.get(i).validation(), "epoch " + (i + 1) + " validation");
        }
        assertArrayEquals(params(SegmentationModel.load(plainDir.best())),
                params(SegmentationModel.load(tmp.resolve("one-worker").resolve("best.zip"))));
    }

    @Test
    void twoWorkersLowerTheLossAndSaveALoadableModel() throws IOException {
        SparkTraining.Result r = distributed(SparkFixtures.trainer(4), "two-workers", 2, 1);
        assertEquals(StopReason.COMPLETED, r.result().reason());
        assertEquals(8, r.rounds().size()); // 4 batches an epoch, 2 per round
        assertTrue(r.rounds().stream().allMatch(t -> t.workers() == 2), r.rounds().toString());
        List<EpochRecord> e = epochs(RunDirectory.resume(tmp.resolve("two-workers")));
        assertEquals(4, e.size());
        for (int i = 1; i < e.size(); i++) {
            assertTrue(e.get(i).trainLoss() < e.get(i - 1).trainLoss(), "the loss falls every epoch: " + e);
        }
        assertTrue(e.get(3).trainLoss() < 0.9 * e.get(0).trainLoss(), e.toString());
        SegmentationModel saved = SegmentationModel.load(tmp.resolve("two-workers").resolve("last.zip"));
        assertArrayEquals(params(r.result().model()), params(saved));
        MetricReport inMemory = io.segnet.inference.Evaluation.batched(r.result().model(), validation, NORMALIZE, 4,
                1, 1);
        assertEquals(inMemory, io.segnet.inference.Evaluation.batched(saved, validation, NORMALIZE, 4, 1, 1));
    }

    @Test
    void aKilledTaskIsRetriedAndTheRunIsUnchanged() throws IOException {
        TrainerConfig config = SparkFixtures.trainer(2);
        SparkTraining.Result clean = distributed(config, "no-kill", 2, 2);
        AtomicInteger started = new AtomicInteger();
        AtomicLong killed = new AtomicLong(-1);
        AtomicInteger killedEnds = new AtomicInteger();
        SparkListener killer = new SparkListener() {
            @Override
            public void onTaskStart(SparkListenerTaskStart start) {
                // the third training task (the second round, in the second epoch): kill it while it runs
                if (started.incrementAndGet() == 3 && killed.get() < 0) {
                    killed.set(start.taskInfo().taskId());
                    sc.sc().killTaskAttempt(start.taskInfo().taskId(), true, "test: a worker is lost");
                }
            }

            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.taskInfo().taskId() == killed.get() && !end.taskInfo().successful()) {
                    killedEnds.incrementAndGet();
                }
            }
        };
        sc.sc().addSparkListener(killer);
        SparkTraining.Result withKill;
        try {
            withKill = distributed(config, "kill", 2, 2);
        } finally {
            sc.sc().removeSparkListener(killer);
        }
        assertTrue(killed.get() >= 0, "a task was killed");
        for (int i = 0; i < 50 && killedEnds.get() == 0; i++) {
            sleep(100); // listener events arrive asynchronously
        }
        assertEquals(1, killedEnds.get(), "the killed attempt ended unsuccessfully and was run again");
        assertEquals(StopReason.COMPLETED, withKill.result().reason());
        assertArrayEquals(params(clean.result().model()), params(withKill.result().model()));
        assertArrayEquals(updater(clean.result().model()), updater(withKill.result().model()));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aStoppedDriverResumesFromLastZipToTheSameModel() throws IOException {
        TrainerConfig config = SparkFixtures.trainer(2);
        SparkTraining.Result straight = distributed(config, "straight", 2, 1);
        RunDirectory split = RunDirectory.create(tmp.resolve("split"), false);
        SparkTraining first = SparkTraining.on(sc, config, data, new SparkTraining.Distribution(2, 1));
        first.trainer().addCallback(new TrainingCallback() {
            @Override
            public void epochDone(EpochRecord record, MetricReport report) {
                first.trainer().requestStop();
            }
        });
        SparkTraining.Result half = first.train(SparkFixtures.model(), split);
        assertEquals(StopReason.INTERRUPTED, half.result().reason());
        assertTrue(Files.isRegularFile(split.last()));
        SparkTraining.Result resumed = SparkTraining.on(sc, config, data, new SparkTraining.Distribution(2, 1))
                .resume(RunDirectory.resume(split.path()));
        assertEquals(StopReason.COMPLETED, resumed.result().reason());
        assertArrayEquals(params(straight.result().model()), params(resumed.result().model()));
        assertFalse(resumed.rounds().isEmpty());
    }
}
