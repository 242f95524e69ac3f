package io.segnet.core.layers;

import io.segnet.core.testutil.Assertions;
import io.segnet.core.testutil.Golden;
import io.segnet.core.testutil.GoldenCheck;
import io.segnet.core.testutil.LayerHarness;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchNormTest {

    @Test
    void trainingModeMatchesPyTorchIncludingRunningStatistics() {
        Golden g = Golden.load("batchnorm_train");
        for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            LayerHarness h = LayerHarness.layer(new BatchNorm(4), type, 4, 5, 6);
            h.setParam("runningMean", g.tensor("running_mean_before", type));
            h.setParam("runningVar", g.tensor("running_var_before", type));
            GoldenCheck.run(g, h, type, Map.of("gamma", "gamma", "beta", "beta"), "x");
            Assertions.assertClose(g.tensor("running_mean_after", DataType.DOUBLE), h.param("runningMean"),
                    GoldenCheck.tolerance(type), "running mean");
            Assertions.assertClose(g.tensor("running_var_after", DataType.DOUBLE), h.param("runningVar"),
                    GoldenCheck.tolerance(type), "running var");
        }
    }

    @Test
    void inferenceModeMatchesPyTorch() {
        Golden g = Golden.load("batchnorm_eval");
        for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            LayerHarness h = LayerHarness.layer(new BatchNorm(4), type, 4, 3, 5);
            h.setParam("runningMean", g.tensor("running_mean", type));
            h.setParam("runningVar", g.tensor("running_var", type));
            GoldenCheck.run(g, h, type, false, Map.of("gamma", "gamma", "beta", "beta"), "x");
        }
    }

    @Test
    void gradientCheckWithFusedRelu() {
        LayerHarness h = LayerHarness.layer(new BatchNorm(3).activation(FusedActivation.RELU), DataType.DOUBLE, 3, 4, 5);
        h.setParam("gamma", Nd4j.rand(DataType.DOUBLE, 3).addi(0.5)).setParam("beta", Nd4j.rand(DataType.DOUBLE, 3).subi(0.5));
        h.gradientCheck(() -> new INDArray[]{Nd4j.rand(DataType.DOUBLE, 2, 3, 4, 5).muli(3)}, true, new int[]{0},
                List.of("gamma", "beta"));
    }

    @Test
    void inferenceGradientCheck() {
        LayerHarness h = LayerHarness.layer(new BatchNorm(3), DataType.DOUBLE, 3, 4, 5);
        h.setParam("runningVar", Nd4j.rand(DataType.DOUBLE, 3).addi(0.5)).setParam("runningMean", Nd4j.rand(DataType.DOUBLE, 3));
        h.gradientCheck(() -> new INDArray[]{Nd4j.rand(DataType.DOUBLE, 2, 3, 4, 5)}, false, new int[]{0},
                List.of("gamma", "beta"));
    }

    @Test
    void frozenStatisticsTrainLikeInferenceAndKeepTheRunningStatistics() {
        INDArray mean = Nd4j.createFromArray(0.5, -0.25, 1.0);
        INDArray var = Nd4j.createFromArray(2.0, 0.5, 1.5);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, 4, 5).muli(3);
        LayerHarness frozen = LayerHarness.layer(new BatchNorm(3).frozenStatistics(true), DataType.DOUBLE, 3, 4, 5);
        LayerHarness inference = LayerHarness.layer(new BatchNorm(3), DataType.DOUBLE, 3, 4, 5);
        for (LayerHarness h : List.of(frozen, inference)) {
            h.setParam("runningMean", mean.dup()).setParam("runningVar", var.dup());
        }
        Assertions.assertClose(inference.forward(false, x), frozen.forward(true, x), 0, "output");
        org.junit.jupiter.api.Assertions.assertEquals(mean, frozen.param("runningMean"));
        org.junit.jupiter.api.Assertions.assertEquals(var, frozen.param("runningVar"));
        frozen.gradientCheck(() -> new INDArray[]{x.dup()}, true, new int[]{0}, List.of("gamma", "beta"));
    }

    @Test
    void singleValuePerChannelIsRejectedInTraining() {
        LayerHarness h = LayerHarness.layer(new BatchNorm(3).name("bn1"), DataType.FLOAT, 3, 1, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> h.forward(true, Nd4j.rand(DataType.FLOAT, 1, 3, 1, 1)));
        assertTrue(e.getMessage().contains("batch of 2 or more"), e.getMessage());
    }
}
