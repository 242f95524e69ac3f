package io.segnet.core.loss;

import io.segnet.core.layers.BatchNorm;
import io.segnet.core.layers.Conv2D;
import io.segnet.core.layers.FusedActivation;
import io.segnet.core.testutil.Assertions;
import io.segnet.core.testutil.Golden;
import io.segnet.core.testutil.GoldenCheck;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentationLossTest {

    private static double run(String name, INDArray z, INDArray y, INDArray grad) {
        Golden g = Golden.load(name);
        return switch (name) {
            case "cross_entropy_ignore_weighted" -> LossOps.crossEntropy(z, y,
                    g.tensor("weight", DataType.DOUBLE).toDoubleVector(), 255, grad, 1.0);
            case "cross_entropy_ignore" -> LossOps.crossEntropy(z, y, null, 255, grad, 1.0);
            case "dice_multiclass_ignore" -> LossOps.dice(z, y, 255, grad, 1.0);
            default -> LossOps.binaryCrossEntropy(z, y, 255, grad, 1.0);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"cross_entropy_ignore_weighted", "cross_entropy_ignore", "dice_multiclass_ignore",
            "bce_logits_ignore"})
    void lossesMatchPyTorch(String name) {
        Golden g = Golden.load(name);
        for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            INDArray z = g.tensor("logits", type), y = g.tensor("labels", type);
            INDArray grad = Nd4j.createUninitialized(type, z.shape());
            double loss = run(name, z, y, grad);
            assertEquals(g.scalar("loss"), loss, GoldenCheck.tolerance(type) * Math.abs(g.scalar("loss")), name);
            Assertions.assertClose(g.tensor("grad_logits", DataType.DOUBLE), grad, GoldenCheck.tolerance(type),
                    name + " gradient (" + type + ")");
        }
    }

    private static ComputationGraph net(SegmentationLoss loss, long classes, DataType type) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(type).seed(7)
                .updater(new NoOp()).weightInit(WeightInit.XAVIER).graphBuilder()
                .addInputs("in").setInputTypes(InputType.convolutional(5, 6, 2))
                .addLayer("conv1", new Conv2D(2, 4, 3).padding(1), "in")
                .addLayer("bn1", new BatchNorm(4).activation(FusedActivation.RELU), "conv1")
                .addLayer("head", new Conv2D(4, classes, 1), "bn1")
                .addLayer("loss", loss, "head").setOutputs("loss").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    private static INDArray labels(long n, long classes, boolean withIgnore) {
        INDArray y = Nd4j.rand(DataType.DOUBLE, n, 1, 5, 6).muli(classes);
        y = org.nd4j.linalg.ops.transforms.Transforms.floor(y);
        if (withIgnore) {
            y.putScalar(new long[]{0, 0, 0, 0}, 255);
            y.putScalar(new long[]{1, 0, 2, 3}, 255);
        }
        return y;
    }

    @ParameterizedTest
    @ValueSource(strings = {"ce", "ce_weighted_dice", "bce", "aux", "smoothed_ce_focal_tversky",
            "weighted_lovasz_ohem"})
    void wholeGraphGradientCheckThroughDl4j(String kind) {
        Nd4j.getRandom().setSeed(11);
        SegmentationLoss loss = switch (kind) {
            case "ce" -> SegmentationLoss.crossEntropy();
            case "ce_weighted_dice" -> SegmentationLoss.crossEntropy().terms(1, 0.5, 0).classWeights(1, 2, 0.5);
            case "bce" -> SegmentationLoss.binaryCrossEntropy();
            case "smoothed_ce_focal_tversky" -> SegmentationLoss.crossEntropy().classWeights(1, 2, 0.5)
                    .labelSmoothing(0.1).focal(0.5, 2, 0.25).tversky(0.7, 0.3, 0.7);
            case "weighted_lovasz_ohem" -> SegmentationLoss.crossEntropy().terms(0, 0, 0).classWeights(1, 2, 0.5)
                    .lovasz(1, true).ohem(0.5, 0.7, 5);
            default -> SegmentationLoss.crossEntropy().outputWeight(0.4);
        };
        long classes = kind.equals("bce") ? 1 : 3;
        ComputationGraph g = net(loss, classes, DataType.DOUBLE);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 2, 5, 6);
        INDArray y = labels(2, kind.equals("bce") ? 2 : classes, true);
        DataType previous = Nd4j.dataType();
        boolean ok;
        try {
            Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
            ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g)
                    .inputs(new INDArray[]{x}).labels(new INDArray[]{y}).epsilon(1e-6).maxRelError(1e-5)
                    .minAbsoluteError(1e-9).excludeParams(java.util.Set.of("bn1_runningMean", "bn1_runningVar")));
        } finally {
            Nd4j.setDefaultDataTypes(previous, previous);
        }
        assertTrue(ok, "DL4J gradient check through conv, batch norm and " + kind + " failed");
    }

    @Test
    void scoreIsTheMeanLossTimesOutputWeight() {
        ComputationGraph g = net(SegmentationLoss.crossEntropy().outputWeight(0.4), 3, DataType.DOUBLE);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 2, 5, 6);
        INDArray y = labels(2, 3, true);
        double score = g.score(new MultiDataSet(x, y));
        INDArray logits = g.outputSingle(false, x);
        assertEquals(logits, g.feedForward(x, false).get("head"));
        double expected = 0.4 * LossOps.crossEntropy(logits, y, null, 255, null, 1);
        assertEquals(expected, score, 1e-12);
    }

    @Test
    void trainingReducesTheLoss() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).updater(new Adam(1e-2))
                .graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(8, 8, 1))
                .addLayer("conv1", new Conv2D(1, 8, 3).padding(1).activation(FusedActivation.RELU), "in")
                .addLayer("head", new Conv2D(8, 2, 1), "conv1")
                .addLayer("loss", SegmentationLoss.crossEntropy(), "head").setOutputs("loss").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 1, 8, 8);
        INDArray y = x.gt(0.5).castTo(DataType.FLOAT);
        MultiDataSet ds = new MultiDataSet(x, y);
        double first = g.score(ds);
        for (int i = 0; i < 60; i++) {
            g.fit(ds);
        }
        assertTrue(g.score(ds) < 0.5 * first, "loss " + first + " -> " + g.score(ds));
    }

    @Test
    void badLabelsNameValuesAndCounts() {
        ComputationGraph g = net(SegmentationLoss.crossEntropy().name("loss"), 3, DataType.FLOAT);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 2, 5, 6);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 2, 1, 5, 6);
        y.putScalar(new long[]{0, 0, 1, 1}, 7);
        y.putScalar(new long[]{1, 0, 1, 1}, 7);
        y.putScalar(new long[]{1, 0, 2, 2}, 254);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.fit(new MultiDataSet(x, y)));
        assertTrue(e.getMessage().contains("7 (2 pixels)") && e.getMessage().contains("254 (1 pixels)")
                && e.getMessage().contains("[0, 3)") && e.getMessage().contains("'loss'"), e.getMessage());
        INDArray oneHot = Nd4j.zeros(DataType.FLOAT, 2, 3, 5, 6);
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> g.fit(new MultiDataSet(x, oneHot)));
        assertTrue(shape.getMessage().contains("one-hot"), shape.getMessage());
    }

    @Test
    void invalidConfigurations() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net(SegmentationLoss.crossEntropy(), 1, DataType.FLOAT));
        assertTrue(e.getMessage().contains("binaryCrossEntropy"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> net(SegmentationLoss.crossEntropy().classWeights(1, 2), 3, DataType.FLOAT));
    }
}
