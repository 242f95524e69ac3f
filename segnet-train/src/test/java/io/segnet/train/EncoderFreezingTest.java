package io.segnet.train;

import io.segnet.core.layers.BatchNorm;
import io.segnet.metrics.MetricReport;
import io.segnet.models.SegmentationModel;
import io.segnet.models.SegmentationModels;
import io.segnet.models.Training;
import io.segnet.train.checkpoint.Checkpoint;
import io.segnet.train.checkpoint.RunDirectory;
import io.segnet.train.log.EpochRecord;
import io.segnet.train.log.ProgressReporter;
import io.segnet.train.schedule.EncoderRate;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.learning.config.Adam;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EncoderFreezingTest {

    @TempDir
    Path tmp;

    private static Trainer trainer(TrainerConfig config) {
        return new Trainer(config).progress(ProgressReporter.silent()).stopOnShutdown(false);
    }

    /** Every parameter (batch norm's running statistics included) by {@code layer/param}. */
    private static Map<String, float[]> snapshot(SegmentationModel m) {
        Map<String, float[]> out = new TreeMap<>();
        for (var layer : m.graph().getLayers()) {
            layer.paramTable().forEach((p, v) -> out.put(layer.conf().getLayer().getLayerName() + "/" + p,
                    v.dup().data().asFloat()));
        }
        return out;
    }

    private static List<String> changed(Map<String, float[]> before, Map<String, float[]> after, boolean encoder) {
        List<String> names = new ArrayList<>();
        before.forEach((k, v) -> {
            if (EncoderFreezing.inEncoder(k) == encoder && !Arrays.equals(v, after.get(k))) {
                names.add(k);
            }
        });
        return names;
    }

    private static long count(Map<String, float[]> params, boolean encoder) {
        return params.keySet().stream().filter(k -> EncoderFreezing.inEncoder(k) == encoder).count();
    }

    @Test
    void aFrozenEpochLeavesTheEncoderBitForBitAndTheNextOnesTrainIt() throws IOException {
        TrainerConfig config = TinyRun.config(3).withWeightDecay(1e-2).withEncoderTraining(1, 0.5);
        SegmentationModel model = SegmentationModels.create(TinyRun.model(), new Training(new Adam(1e-3), 0, 3));
        Map<String, float[]> start = snapshot(model);
        List<Map<String, float[]>> afterEpoch = new ArrayList<>();
        Trainer trainer = trainer(config);
        trainer.addCallback(new TrainingCallback() {
            @Override
            public void epochDone(EpochRecord record, MetricReport validation) {
                afterEpoch.add(snapshot(model));
            }

        });
        TrainingResult r = trainer.train(model, TinyRun.data(), RunDirectory.create(tmp.resolve("run"), false));
        assertEquals(3, r.epochsCompleted());
        assertTrue(model.graph().getListeners().isEmpty(), "the gradient mask is removed after the run");

        assertTrue(count(start, true) >= 6, "the encoder has weights, biases and batch norm: " + start.keySet());
        assertEquals(List.of(), changed(start, afterEpoch.get(0), true), "frozen epoch 1 changed the encoder");
        assertEquals(count(start, false), changed(start, afterEpoch.get(0), false).size(),
                "the decoder and head train while the encoder is frozen");
        assertEquals(count(start, true), changed(afterEpoch.get(0), afterEpoch.get(1), true).size(),
                "every encoder parameter and statistic changes once unfrozen");

        for (var layer : model.graph().getLayers()) {
            if (layer.conf().getLayer() instanceof BaseLayer b && layer.numParams() > 0) {
                boolean enc = EncoderFreezing.inEncoder(b.getLayerName());
                double lr = b.getIUpdater().getLearningRate(5, 0);
                double base = config.updater(12).getLearningRate(5, 0);
                assertEquals(enc ? 0 : base, lr, 1e-15, b.getLayerName() + " in the frozen epoch");
                assertEquals(enc ? 0.5 * base : base, b.getIUpdater().getLearningRate(5, 1), 1e-15, b.getLayerName());
            }
            if (layer.conf().getLayer() instanceof BatchNorm bn) {
                assertFalse(bn.isFrozenStatistics(), "batch norm is unfrozen after the frozen epochs");
            }
        }
        assertEquals(config.updater(12).getLearningRate(5, 0), Trainer.learningRate(model.graph(), 5, 0), 1e-15,
                "the logged rate is the decoder's");
    }

    @Test
    void theFreezeSurvivesAResumeAndTheRunMatchesTheUninterruptedOne() throws IOException {
        TrainerConfig config = TinyRun.config(3).withEncoderTraining(2, 0.1);
        Map<String, float[]> start = snapshot(SegmentationModels.create(TinyRun.model(),
                new Training(new Adam(1e-3), 0, 3)));
        TrainingResult straight = trainer(config).train(TinyRun.model(), TinyRun.data(),
                RunDirectory.create(tmp.resolve("straight"), false));

        RunDirectory split = RunDirectory.create(tmp.resolve("split"), false);
        assertEquals(StopReason.INTERRUPTED, stopAfterAnEpoch(config).train(TinyRun.model(), TinyRun.data(), split)
                .reason());
        Checkpoint.Contents saved = Checkpoint.load(split.last());
        assertEquals(List.of(), changed(start, snapshot(saved.model()), true), "epoch 1 of 2 frozen");
        assertTrue(saved.model().graph().getLayers()[0].conf().getLayer() instanceof BaseLayer b
                && ((Adam) b.getIUpdater()).getLearningRateSchedule() instanceof EncoderRate,
                "the checkpoint keeps the encoder's schedule");

        assertEquals(StopReason.INTERRUPTED, stopAfterAnEpoch(config).resume(TinyRun.data(),
                RunDirectory.resume(split.path())).reason());
        Map<String, float[]> epoch2 = snapshot(Checkpoint.load(split.last()).model());
        assertEquals(List.of(), changed(start, epoch2, true), "epoch 2 of 2 frozen after a resume");
        assertEquals(count(start, false), changed(start, epoch2, false).size());

        TrainingResult resumed = trainer(config).resume(TinyRun.data(), RunDirectory.resume(split.path()));
        assertEquals(StopReason.COMPLETED, resumed.reason());
        assertEquals(3, resumed.epochsCompleted());
        assertArrayEquals(straight.model().graph().params().data().asFloat(),
                resumed.model().graph().params().data().asFloat());
        assertEquals(count(start, true), changed(epoch2, snapshot(resumed.model()), true).size(),
                "epoch 3 trains the encoder");
    }

    private static Trainer stopAfterAnEpoch(TrainerConfig config) {
        Trainer t = trainer(config);
        t.addCallback(new TrainingCallback() {
            @Override
            public void epochDone(EpochRecord record, MetricReport validation) {
                t.requestStop();
            }
        });
        return t;
    }

    @Test
    void settingsAreValidated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TinyRun.config(2).withEncoderTraining(3, 1));
        assertTrue(e.getMessage().contains("freezeEncoderEpochs is 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TinyRun.config(2).withEncoderTraining(0, -1));
        assertTrue(e.getMessage().contains("encoderLrScale is -1.0"), e.getMessage());
        assertFalse(TinyRun.config(2).tunesEncoder());
        assertTrue(TinyRun.config(2).withEncoderTraining(0, 0.1).tunesEncoder());
    }
}
