package io.segnet.train.schedule;

import io.segnet.core.layers.Conv2D;
import io.segnet.core.loss.SegmentationLoss;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.schedule.ISchedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchedulesTest {

    private static final double EPS = 1e-12;

    @Test
    void polyDecaysAsOneMinusProgressToThePower() {
        PolyDecay p = new PolyDecay(0.01, 100, 0.9, 0);
        assertEquals(0.01, p.valueAt(0, 0), EPS);
        assertEquals(0.01 * Math.pow(0.5, 0.9), p.valueAt(50, 3), EPS);
        assertEquals(0.01 * Math.pow(0.01, 0.9), p.valueAt(99, 0), EPS);
        assertEquals(0, p.valueAt(100, 0), EPS);
        assertEquals(0, p.valueAt(250, 0), EPS, "stays at the minimum after maxIterations");
        assertTrue(p.valueAt(10, 0) < p.valueAt(9, 0), "decays, unlike DL4J's PolySchedule");
    }

    @Test
    void polyWithMinimumEndsThere() {
        PolyDecay p = new PolyDecay(1.0, 10, 1.0, 0.1);
        assertEquals(1.0, p.valueAt(0, 0), EPS);
        assertEquals(0.55, p.valueAt(5, 0), EPS);
        assertEquals(0.1, p.valueAt(10, 0), EPS);
    }

    @Test
    void cosineHalvesAtTheMiddle() {
        CosineDecay c = new CosineDecay(0.1, 200, 0.0);
        assertEquals(0.1, c.valueAt(0, 0), EPS);
        assertEquals(0.05, c.valueAt(100, 0), EPS);
        assertEquals(0.1 * (1 + Math.cos(Math.PI * 0.25)) / 2, c.valueAt(50, 0), EPS);
        assertEquals(0.0, c.valueAt(200, 0), EPS);
        assertEquals(0.02, new CosineDecay(0.1, 10, 0.02).valueAt(10, 0), EPS);
    }

    @Test
    void stepMultipliesByGammaEveryStep() {
        StepDecay s = new StepDecay(0.1, 30, 0.1);
        assertEquals(0.1, s.valueAt(29, 0), EPS);
        assertEquals(0.01, s.valueAt(30, 0), EPS);
        assertEquals(0.001, s.valueAt(60, 0), 1e-15);
    }

    @Test
    void linearWarmupRisesFromStartFactorThenFollowsTheSchedule() {
        LinearWarmup w = new LinearWarmup(new ConstantRate(1.0), 10, 0.1);
        assertEquals(0.1, w.valueAt(0, 0), EPS);
        assertEquals(0.55, w.valueAt(5, 0), EPS);
        assertEquals(1.0, w.valueAt(10, 0), EPS);
        LinearWarmup poly = new LinearWarmup(new PolyDecay(1.0, 100, 1.0, 0), 10, 0.0);
        assertEquals(0.0, poly.valueAt(0, 0), EPS);
        assertEquals(0.5 * 0.95, poly.valueAt(5, 0), EPS, "warm-up factor times the poly value at 5");
        assertEquals(0.5, poly.valueAt(50, 0), EPS, "the decay is not shifted by the warm-up");
    }

    @Test
    void configBuildsTheNamedScheduleForTheRun() {
        ISchedule poly = ScheduleConfig.poly().build(0.01, 1000);
        assertEquals(new PolyDecay(0.01, 1000, 0.9, 0), poly);
        ISchedule warm = ScheduleConfig.cosine().withWarmup(50, 0.1).build(0.01, 1000);
        assertEquals(new LinearWarmup(new CosineDecay(0.01, 1000, 0), 50, 0.1), warm);
        assertEquals(new StepDecay(0.1, 7, 0.5), ScheduleConfig.step(7, 0.5).build(0.1, 100));
        assertEquals(new ConstantRate(0.3), ScheduleConfig.constant().build(0.3, 5));
    }

    @Test
    void badValuesFailWithWhatToChange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PolyDecay(0.1, 0, 0.9, 0));
        assertTrue(e.getMessage().contains("maxIterations is 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new StepDecay(0.1, 10, 1.5));
        assertTrue(e.getMessage().contains("gamma is 1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ScheduleConfig.poly().withWarmup(100, 0.1).build(0.1, 100));
        assertTrue(e.getMessage().contains("warm-up (100 iterations) is not shorter than the run"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ScheduleConfig.Type.parse("linear"));
        assertTrue(e.getMessage().contains("constant, poly, cosine or step"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LinearWarmup(new LinearWarmup(new ConstantRate(1), 2,
                0), 2, 0));
    }

    @Test
    void schedulesSurviveTheGraphJson() {
        ISchedule schedule = ScheduleConfig.poly().withWarmup(5, 0.2).build(3e-3, 400);
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                .updater(new Adam(schedule)).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(4, 4, 1))
                .addLayer("conv", new Conv2D(1, 2, 1), "in")
                .addLayer("loss", SegmentationLoss.crossEntropy(), "conv").setOutputs("loss").build();
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
        BaseLayer layer = (BaseLayer) ((LayerVertex) back.getVertices().get("conv")).getLayerConf().getLayer();
        Adam adam = assertInstanceOf(Adam.class, layer.getIUpdater());
        assertEquals(schedule, adam.getLearningRateSchedule());
        assertEquals(schedule.valueAt(3, 0), adam.getLearningRate(3, 0), EPS);

        ISchedule cos = new CosineDecay(0.1, 10, 0.01);
        Nesterovs sgd = new Nesterovs(cos, 0.9);
        ComputationGraphConfiguration c2 = new NeuralNetConfiguration.Builder().updater(sgd).graphBuilder()
                .addInputs("in").setInputTypes(InputType.convolutional(4, 4, 1))
                .addLayer("conv", new Conv2D(1, 2, 1), "in")
                .addLayer("loss", SegmentationLoss.crossEntropy(), "conv").setOutputs("loss").build();
        BaseLayer l2 = (BaseLayer) ((LayerVertex) ComputationGraphConfiguration.fromJson(c2.toJson()).getVertices()
                .get("conv")).getLayerConf().getLayer();
        assertEquals(cos, ((Nesterovs) l2.getIUpdater()).getLearningRateSchedule());
    }
}
