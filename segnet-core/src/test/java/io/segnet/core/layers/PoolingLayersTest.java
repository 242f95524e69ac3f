package io.segnet.core.layers;

import io.segnet.core.graph.MaxUnpool;
import io.segnet.core.testutil.Assertions;
import io.segnet.core.testutil.Golden;
import io.segnet.core.testutil.GoldenCheck;
import io.segnet.core.testutil.LayerHarness;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoolingLayersTest {

    @ParameterizedTest
    @ValueSource(strings = {"maxpool_k2_s2", "maxpool_k3_s2_p1"})
    void maxPoolMatchesPyTorchIncludingIndices(String name) {
        Golden g = Golden.load(name);
        long[] x = g.tensor("x", DataType.DOUBLE).shape();
        for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            MaxPool2D conf = new MaxPool2D(g.intAttr("kernel"), g.intAttr("stride")).padding(g.intAttr("padding"));
            LayerHarness h = LayerHarness.layer(conf, type, x[1], x[2], x[3]);
            GoldenCheck.run(g, h, type, Map.of(), "x");
            int[] argmax = ((MaxPool2D.Runtime) h.layer()).argmax();
            double[] expected = g.tensor("indices", DataType.DOUBLE).data().asDouble();
            int[] exp = new int[expected.length];
            for (int i = 0; i < exp.length; i++) {
                exp[i] = (int) expected[i];
            }
            assertArrayEquals(exp, argmax);
        }
    }

    @Test
    void maxPoolGradientCheck() {
        LayerHarness h = LayerHarness.layer(new MaxPool2D(3, 2).padding(1), DataType.DOUBLE, 2, 7, 6);
        h.gradientCheck(() -> new INDArray[]{Nd4j.rand(DataType.DOUBLE, 2, 2, 7, 6)}, true, new int[]{0}, List.of());
    }

    private static ComputationGraph poolUnpool(DataType type, long c, long h, long w) {
        var conf = new NeuralNetConfiguration.Builder().dataType(type).updater(new NoOp()).graphBuilder()
                .addInputs("in").setInputTypes(InputType.convolutional(h, w, c))
                .addLayer("pool", new MaxPool2D(2, 2), "in")
                .addVertex("unpool", new MaxUnpool("pool"), "pool").setOutputs("unpool").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    @Test
    void unpoolThroughRecordedIndicesMatchesPyTorch() {
        Golden g = Golden.load("maxpool_unpool_k2");
        long[] s = g.tensor("x", DataType.DOUBLE).shape();
        for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            ComputationGraph net = poolUnpool(type, s[1], s[2], s[3]);
            LayerHarness pool = LayerHarness.of(net, "pool"), unpool = LayerHarness.of(net, "unpool");
            INDArray pooled = pool.forward(true, g.tensor("x", type));
            INDArray y = unpool.forward(true, pooled);
            Assertions.assertClose(g.tensor("y", DataType.DOUBLE), y, GoldenCheck.tolerance(type), "unpool output");
            INDArray dPooled = unpool.backward(g.tensor("R", type)).inputs()[0];
            INDArray dx = pool.backward(dPooled).inputs()[0];
            Assertions.assertClose(g.tensor("grad_x", DataType.DOUBLE), dx, GoldenCheck.tolerance(type), "grad x");
        }
    }

    @Test
    void unpoolGradientCheckAndErrors() {
        ComputationGraph net = poolUnpool(DataType.DOUBLE, 2, 6, 7);
        LayerHarness pool = LayerHarness.of(net, "pool"), unpool = LayerHarness.of(net, "unpool");
        pool.forward(true, Nd4j.rand(DataType.DOUBLE, 2, 2, 6, 7));
        unpool.gradientCheck(() -> new INDArray[]{Nd4j.rand(DataType.DOUBLE, 2, 2, 3, 3)}, true, new int[]{0}, List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> unpool.forward(true, Nd4j.rand(DataType.DOUBLE, 2, 2, 4, 4)));
        assertTrue(e.getMessage().contains("does not match the last output of pooling layer 'pool'"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 6, 9})
    void adaptiveAvgPoolMatchesPyTorch(int bins) {
        // Bins 1-6 on 7x10 run as one matrix product, bins 9 on 19x22 as the per-plane loops.
        Golden g = Golden.load("adaptive_avg_pool_" + bins);
        long[] x = g.tensor("x", DataType.DOUBLE).shape();
        for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            LayerHarness h = LayerHarness.layer(new AdaptiveAvgPool2D(bins), type, x[1], x[2], x[3]);
            GoldenCheck.run(g, h, type, Map.of(), "x");
        }
    }

    @Test
    void adaptiveAvgPoolGradientCheck() {
        LayerHarness h = LayerHarness.layer(new AdaptiveAvgPool2D(3), DataType.DOUBLE, 2, 7, 5);
        h.gradientCheck(() -> new INDArray[]{Nd4j.rand(DataType.DOUBLE, 2, 2, 7, 5)}, true, new int[]{0}, List.of());
    }
}
