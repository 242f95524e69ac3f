package io.segnet.core.layers;

import io.segnet.core.testutil.Golden;
import io.segnet.core.testutil.GoldenCheck;
import io.segnet.core.testutil.LayerHarness;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Conv2DTest {

    static Conv2D fromGolden(Golden g) {
        long[] x = g.tensor("x", DataType.DOUBLE).shape(), w = g.tensor("w", DataType.DOUBLE).shape();
        return new Conv2D(x[1], w[0], (int) w[2]).stride(g.intAttr("stride")).padding(g.intAttr("padding"))
                .dilation(g.intAttr("dilation")).bias(g.boolAttr("bias"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"conv2d_k3_s1_p1", "conv2d_k3_s2_p0_nobias", "conv2d_k1", "conv2d_atrous_d2",
            "conv2d_atrous_d6", "conv2d_atrous_d12_valid_pad5"})
    void matchesPyTorch(String name) {
        Golden g = Golden.load(name);
        long[] x = g.tensor("x", DataType.DOUBLE).shape();
        for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("w", "W");
            if (g.boolAttr("bias")) {
                params.put("b", "b");
            }
            GoldenCheck.run(g, LayerHarness.layer(fromGolden(g), type, x[1], x[2], x[3]), type, params, "x");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void gradientCheck(int dilation) {
        Conv2D conf = new Conv2D(3, 4, 3).dilation(dilation).padding(dilation).activation(FusedActivation.RELU);
        LayerHarness h = LayerHarness.layer(conf, DataType.DOUBLE, 3, 7, 6);
        h.gradientCheck(() -> new INDArray[]{Nd4j.rand(DataType.DOUBLE, 2, 3, 7, 6).subi(0.5)}, true, new int[]{0},
                List.of("W", "b"));
    }

    @Test
    void stridedGradientCheck() {
        LayerHarness h = LayerHarness.layer(new Conv2D(2, 3, 3).stride(2).padding(1).bias(false), DataType.DOUBLE, 2, 7, 8);
        h.gradientCheck(() -> new INDArray[]{Nd4j.rand(DataType.DOUBLE, 2, 2, 7, 8)}, true, new int[]{0}, List.of("W"));
    }

    @Test
    void fusedReluEqualsReluOfLinearOutput() {
        LayerHarness lin = LayerHarness.layer(new Conv2D(3, 4, 3).padding(1), DataType.FLOAT, 3, 5, 5);
        LayerHarness relu = LayerHarness.layer(new Conv2D(3, 4, 3).padding(1).activation(FusedActivation.RELU),
                DataType.FLOAT, 3, 5, 5);
        relu.setParam("W", lin.param("W")).setParam("b", lin.param("b"));
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 5, 5).subi(0.5);
        INDArray expected = org.nd4j.linalg.ops.transforms.Transforms.relu(lin.forward(true, x).dup());
        assertEquals(expected, relu.forward(true, x));
    }

    @Test
    void wrongChannelsNamesLayerAndShapes() {
        LayerHarness h = LayerHarness.layer(new Conv2D(3, 4, 3).name("encoder.stem"), DataType.FLOAT, 3, 8, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> h.forward(false, Nd4j.rand(DataType.FLOAT, 1, 8, 8, 3)));
        assertTrue(e.getMessage().contains("Conv2D 'L'") || e.getMessage().contains("encoder.stem"), e.getMessage());
        assertTrue(e.getMessage().contains("expected 3 input channels") && e.getMessage().contains("[1, 8, 8, 3]")
                && e.getMessage().contains("NHWC"), e.getMessage());
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> h.forward(false, Nd4j.rand(DataType.FLOAT, 3, 8, 8)));
        assertTrue(rank.getMessage().contains("rank-4"), rank.getMessage());
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> h.forward(false, Nd4j.rand(DataType.FLOAT, 1, 3, 2, 2)));
        assertTrue(small.getMessage().contains("smaller than the kernel"), small.getMessage());
    }

    @Test
    void invalidConfigsFailWithFix() {
        assertThrows(IllegalArgumentException.class, () -> new Conv2D(3, 4, 2).samePadding());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LayerHarness.layer(new Conv2D(3, 4, 3).dilation(2).stride(2), DataType.FLOAT, 3, 9, 9));
        assertTrue(e.getMessage().contains("needs stride 1"), e.getMessage());
    }

    @Test
    void configSurvivesJson() {
        LayerHarness h = LayerHarness.layer(new Conv2D(3, 5, 3).dilation(6).samePadding().bias(false)
                .activation(FusedActivation.RELU), DataType.FLOAT, 3, 13, 11);
        ComputationGraphConfiguration conf = h.graph().getConfiguration();
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
        assertEquals(conf.toJson(), back.toJson());
        Conv2D c = (Conv2D) ((org.deeplearning4j.nn.conf.graph.LayerVertex) back.getVertices().get("L"))
                .getLayerConf().getLayer();
        assertEquals(6, c.getDilation()[0]);
        assertEquals(6, c.getPadding()[0]);
        assertEquals(FusedActivation.RELU, c.getActivation());
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void heInitialisationByDefault(DataType type) {
        LayerHarness h = LayerHarness.layer(new Conv2D(16, 32, 3), type, 16, 8, 8);
        double std = h.param("W").stdNumber().doubleValue();
        // WeightInit.RELU (He): N(0, 2 / fanIn), fanIn = 144 -> std 0.118; the graph's global default applies unless
        // the user sets another.
        assertTrue(std > 0.05 && std < 0.2, "std " + std);
        assertEquals(0.0, h.param("b").sumNumber().doubleValue(), 0.0);
    }
}
