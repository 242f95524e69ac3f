package io.segnet.train;

import io.segnet.models.SegmentationModel;
import io.segnet.train.checkpoint.Checkpoint;
import io.segnet.train.checkpoint.RunDirectory;
import io.segnet.train.checkpoint.TrainingMetadata;
import io.segnet.train.log.EpochRecord;
import io.segnet.train.log.LogRecord;
import io.segnet.train.log.MetricsLog;
import io.segnet.train.log.ProgressReporter;
import io.segnet.train.log.StepRecord;
import io.segnet.metrics.MetricReport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {

    @TempDir
    Path tmp;

    @TempDir
    static Path shared;

    /** The uninterrupted 2-epoch run that the resume tests compare with. */
    private static RunDirectory straightDir;
    private static TrainingResult straight;

    @BeforeAll
    static void trainStraight() throws IOException {
        straightDir = RunDirectory.create(shared.resolve("straight"), false);
        straight = trainer(TinyRun.config(2)).train(TinyRun.model(), TinyRun.data(), straightDir);
    }

    private static Trainer trainer(TrainerConfig config) {
        return new Trainer(config).progress(ProgressReporter.silent()).stopOnShutdown(false);
    }

    private static float[] params(SegmentationModel m) {
        return m.graph().params().dup().data().asFloat();
    }

    private static float[] updaterState(SegmentationModel m) {
        return m.graph().getUpdater().getStateViewArray().dup().data().asFloat();
    }

    /** Epoch records without their timing fields. */
    private static List<String> epochLines(Path metrics) throws IOException {
        return MetricsLog.read(metrics).stream().filter(r -> r instanceof EpochRecord).map(r -> (EpochRecord) r)
                .map(e -> e.epoch() + " " + e.iteration() + " " + e.trainLoss() + " " + e.learningRate() + " "
                        + e.validation() + " " + e.classIoU() + " " + e.best()).toList();
    }

    private static List<String> stepLines(Path metrics) throws IOException {
        return MetricsLog.read(metrics).stream().filter(r -> r instanceof StepRecord).map(r -> (StepRecord) r)
                .map(s -> s.epoch() + " " + s.iteration() + " " + s.loss() + " " + s.learningRate()).toList();
    }

    @Test
    void trainsWritesTheRunFolderAndImproves() throws IOException {
        RunDirectory run = straightDir;
        TrainingResult r = straight;
        assertEquals(StopReason.COMPLETED, r.reason());
        assertEquals(2, r.epochsCompleted());
        assertEquals(8, r.iterations());
        for (String f : List.of("last.zip", "best.zip", "metrics.jsonl", "curve.png", "config.yaml")) {
            assertTrue(Files.size(run.resolve(f)) > 0, f);
        }
        List<LogRecord> log = MetricsLog.read(run.metrics());
        assertEquals(8, log.stream().filter(x -> x instanceof StepRecord).count());
        List<EpochRecord> epochs = log.stream().filter(x -> x instanceof EpochRecord).map(x -> (EpochRecord) x)
                .toList();
        assertEquals(2, epochs.size());
        assertTrue(epochs.get(0).validation().containsKey("meanIoU"));
        assertEquals(11, epochs.get(0).classIoU().size());
        StepRecord first = (StepRecord) log.get(0);
        assertTrue(first.loss() > 1.0, "cross-entropy of 11 classes starts near ln 11 = 2.4, got " + first.loss());
        assertTrue(epochs.get(1).trainLoss() < first.loss(), "the loss goes down");
        TrainingMetadata meta = Checkpoint.readMetadata(run.last()).orElseThrow();
        assertEquals(8, meta.state().iteration());
        assertTrue(meta.state().finished());
        assertEquals(11, meta.classNames().size());
        assertEquals(r.bestValue(), meta.state().bestValue());
        assertEquals(4 * r.bestEpoch(), SegmentationModel.load(run.best()).graph().getIterationCount());
        String yaml = Files.readString(run.config());
        assertTrue(yaml.contains("trainer:") && yaml.contains("model:") && yaml.contains("type: unet"), yaml);
    }

    @Test
    void resumingAtAnEpochBoundaryGivesTheUninterruptedRun() throws IOException {
        TrainerConfig config = TinyRun.config(2);
        RunDirectory splitDir = RunDirectory.create(tmp.resolve("split"), false);
        Trainer first = trainer(config);
        first.addCallback(new TrainingCallback() {
            @Override
            public void epochDone(EpochRecord record, MetricReport validation) {
                first.requestStop();
            }
        });
        TrainingResult half = first.train(TinyRun.model(), TinyRun.data(), splitDir);
        assertEquals(StopReason.INTERRUPTED, half.reason());
        assertEquals(1, half.epochsCompleted());
        TrainingResult resumed = trainer(config).resume(TinyRun.data(), RunDirectory.resume(splitDir.path()));
        assertEquals(StopReason.COMPLETED, resumed.reason());

        assertArrayEquals(params(straight.model()), params(resumed.model()));
        assertArrayEquals(updaterState(straight.model()), updaterState(resumed.model()));
        assertEquals(straight.model().graph().getIterationCount(), resumed.model().graph().getIterationCount());
        assertEquals(epochLines(straightDir.metrics()), epochLines(splitDir.metrics()));
        assertEquals(stepLines(straightDir.metrics()), stepLines(splitDir.metrics()));
        assertArrayEquals(params(SegmentationModel.load(straightDir.last())),
                params(SegmentationModel.load(splitDir.last())));
    }

    @Test
    void aStopInsideAnEpochLeavesALoadableCheckpointThatResumesExactly() throws IOException {
        TrainerConfig config = TinyRun.config(2);
        RunDirectory dir = RunDirectory.create(tmp.resolve("stopped"), false);
        Trainer t = trainer(config);
        t.addCallback(new TrainingCallback() {
            @Override
            public void iterationDone(int iteration, double loss) {
                if (iteration == 6) {
                    t.requestStop();
                }
            }
        });
        TrainingResult stopped = t.train(TinyRun.model(), TinyRun.data(), dir);
        assertEquals(StopReason.INTERRUPTED, stopped.reason());
        assertEquals(6, stopped.iterations());
        Checkpoint.Contents c = Checkpoint.load(dir.last());
        assertEquals(6, c.model().graph().getIterationCount());
        assertEquals(2, c.metadata().orElseThrow().state().batchInEpoch());
        assertFalse(c.metadata().orElseThrow().state().finished());

        TrainingResult resumed = trainer(config).resume(TinyRun.data(), RunDirectory.resume(dir.path()));
        assertEquals(8, resumed.iterations());
        assertArrayEquals(params(straight.model()), params(resumed.model()));
    }

    /**
     * Step records averaging up to 3 iterations (a window restarts with each epoch), a stop at iteration 5 (one batch
     * into epoch 2, whose record at iteration 6 averages iterations 5 and 6): the resumed run's log equals the
     * uninterrupted run's line for line, except the wall-clock fields.
     */
    @Test
    void aResumedRunWritesTheUninterruptedRunsMetricsLogLineForLine() throws IOException {
        TrainerConfig config = TinyRun.config(2).withReporting(false, 3);
        RunDirectory whole = RunDirectory.create(tmp.resolve("whole"), false);
        trainer(config).train(TinyRun.model(), TinyRun.data(), whole);
        RunDirectory split = RunDirectory.create(tmp.resolve("split3"), false);
        Trainer t = trainer(config);
        t.addCallback(new TrainingCallback() {
            @Override
            public void iterationDone(int iteration, double loss) {
                if (iteration == 5) {
                    t.requestStop();
                }
            }
        });
        assertEquals(StopReason.INTERRUPTED, t.train(TinyRun.model(), TinyRun.data(), split).reason());
        assertEquals(1, Checkpoint.readMetadata(split.last()).orElseThrow().state().stepWindowSteps(),
                "iteration 5 is one step after the epoch boundary, which starts a new window");
        trainer(config).resume(TinyRun.data(), RunDirectory.resume(split.path()));

        List<String> expected = MetricsLog.withoutWallClock(whole.metrics());
        assertEquals(4, expected.size(), "step records at 3 and 6, epoch records at 4 and 8: " + expected);
        assertEquals(expected, MetricsLog.withoutWallClock(split.metrics()));
    }

    @Test
    void stopsEarlyWhenTheMetricStopsImproving() throws IOException {
        TrainerConfig config = TinyRun.config(5).withEarlyStopping(Metric.PIXEL_ACCURACY, 1, 1.0);
        RunDirectory run = RunDirectory.create(tmp.resolve("early"), false);
        TrainingResult r = trainer(config).train(TinyRun.model(), TinyRun.data(), run);
        assertEquals(StopReason.EARLY_STOPPED, r.reason());
        assertEquals(2, r.epochsCompleted(), "epoch 1 sets the best, epoch 2 cannot beat it by 1.0, patience 1");
        assertEquals(1, r.bestEpoch());
        assertTrue(Checkpoint.readMetadata(run.last()).orElseThrow().state().finished());
        assertEquals(List.of(true, false), MetricsLog.read(run.metrics()).stream()
                .filter(x -> x instanceof EpochRecord).map(x -> ((EpochRecord) x).best()).toList());
    }

    @Test
    void resumingWithOtherSettingsOrAFinishedRunIsExplained() throws IOException {
        RunDirectory run = RunDirectory.create(tmp.resolve("r"), false);
        trainer(TinyRun.config(1)).train(TinyRun.model(), TinyRun.data(), run);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer(TinyRun.config(3))
                .resume(TinyRun.data(), RunDirectory.resume(run.path())));
        assertTrue(e.getMessage().contains("epochs 1 in the checkpoint vs 3"), e.getMessage());
        TrainingResult again = trainer(TinyRun.config(1)).resume(TinyRun.data(), RunDirectory.resume(run.path()));
        assertEquals(4, again.iterations(), "a finished run is not trained further");
    }

    @Test
    void mismatchedModelsAndUnknownOutputsAreExplained() throws IOException {
        RunDirectory run = RunDirectory.create(tmp.resolve("bad"), false);
        var wrongClasses = ((io.segnet.models.unet.UNetConfig) TinyRun.model());
        var five = new io.segnet.models.unet.UNetConfig(1, 5, 28, 28, wrongClasses.encoder(), wrongClasses.upsampling(),
                true, List.of(), wrongClasses.loss());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainer(TinyRun.config(1)).train(five, TinyRun.data(), run));
        assertTrue(e.getMessage().contains("predicts 5 classes but the data has 11"), e.getMessage());

        TrainerConfig aux = TinyRun.config(1).withOutputWeights(Map.of("aux.loss", 0.4));
        e = assertThrows(IllegalArgumentException.class, () -> trainer(aux).train(TinyRun.model(), TinyRun.data(),
                RunDirectory.create(tmp.resolve("aux"), false)));
        assertTrue(e.getMessage().contains("'aux.loss', which is not an output"), e.getMessage());
    }

    @Test
    void outputWeightsReachTheLossLayersAndTheCheckpoint() throws IOException {
        SegmentationModel probe = io.segnet.models.SegmentationModels.create(TinyRun.model());
        String output = probe.outputs().get(0);
        TrainerConfig config = TinyRun.config(1).withOutputWeights(Map.of(output, 0.5));
        RunDirectory run = RunDirectory.create(tmp.resolve("w"), false);
        trainer(config).train(TinyRun.model(), TinyRun.data(), run);
        var loss = (io.segnet.core.loss.SegmentationLoss) SegmentationModel.load(run.last()).graph().getLayer(output)
                .conf().getLayer();
        assertEquals(0.5, loss.getOutputWeight());
    }

    @Test
    void weightDecayAndMomentumReachTheLayers() throws IOException {
        TrainerConfig sgd = TinyRun.config(1).withOptimizer(OptimizerType.SGD, 0.05).withWeightDecay(1e-3);
        RunDirectory run = RunDirectory.create(tmp.resolve("wd"), false);
        SegmentationModel m = trainer(sgd).train(TinyRun.model(), TinyRun.data(), run).model();
        SegmentationModel loaded = SegmentationModel.load(run.last());
        for (SegmentationModel x : List.of(m, loaded)) {
            int decayed = 0;
            for (var layer : x.graph().getLayers()) {
                if (layer.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.BaseLayer b
                        && layer.paramTable().containsKey("W")) {
                    var nesterovs = (org.nd4j.linalg.learning.config.Nesterovs) b.getIUpdater();
                    assertEquals(0.9, nesterovs.getMomentum());
                    assertEquals(0.05, nesterovs.getLearningRate(0, 0), 1e-12);
                    var wd = (org.nd4j.linalg.learning.regularization.WeightDecay) b.getRegularization().get(0);
                    assertEquals(1e-3, wd.getCoeff().valueAt(0, 0), 1e-15);
                    decayed++;
                }
            }
            assertTrue(decayed > 3);
        }
    }

    @Test
    void fineTuningReplacesTheOptimiserAndKeepsTheWeights() throws IOException {
        RunDirectory run = RunDirectory.create(tmp.resolve("pre"), false);
        SegmentationModel pre = trainer(TinyRun.config(1)).train(TinyRun.model(), TinyRun.data(), run).model();
        Map<String, float[]> before = weights(pre);
        TrainerConfig sgd = TinyRun.config(1).withOptimizer(OptimizerType.SGD, 1e-9)
                .withSchedule(io.segnet.train.schedule.ScheduleConfig.constant());
        RunDirectory second = RunDirectory.create(tmp.resolve("fine"), false);
        TrainingResult r = trainer(sgd).train(pre, TinyRun.data(), second);
        assertEquals(4, r.model().graph().getIterationCount(), "counting restarts at 0");
        assertEquals(1e-9, Trainer.learningRate(r.model().graph(), 0, 0), 1e-20);
        assertTrue(r.model().graph().getLayers()[1].conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers
                .BaseLayer b && b.getIUpdater() instanceof org.nd4j.linalg.learning.config.Nesterovs);
        Map<String, float[]> after = weights(r.model());
        for (Map.Entry<String, float[]> e : before.entrySet()) {
            float[] a = after.get(e.getKey());
            for (int i = 0; i < a.length; i++) {
                assertEquals(e.getValue()[i], a[i], 1e-6, "a learning rate of 1e-9 keeps " + e.getKey());
            }
        }
    }

    /** The convolution weights by layer name. */
    private static Map<String, float[]> weights(SegmentationModel m) {
        Map<String, float[]> out = new java.util.TreeMap<>();
        for (var layer : m.graph().getLayers()) {
            var w = layer.paramTable().get("W");
            if (w != null) {
                out.put(layer.conf().getLayer().getLayerName(), w.dup().data().asFloat());
            }
        }
        return out;
    }
}
