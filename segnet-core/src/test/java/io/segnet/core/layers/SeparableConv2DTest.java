package io.segnet.core.layers;

import io.segnet.core.testutil.Golden;
import io.segnet.core.testutil.GoldenCheck;
import io.segnet.core.testutil.LayerHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

class SeparableConv2DTest {

    @ParameterizedTest
    @ValueSource(strings = {"separable_d1", "separable_d6"})
    void matchesPyTorch(String name) {
        Golden g = Golden.load(name);
        long[] x = g.tensor("x", DataType.DOUBLE).shape();
        long out = g.tensor("pw", DataType.DOUBLE).size(0);
        for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            LayerHarness h = LayerHarness.layer(new SeparableConv2D(x[1], out, g.intAttr("dilation")), type, x[1], x[2], x[3]);
            GoldenCheck.run(g, h, type, Map.of("dw", "depthwise", "pw", "pointwise", "b", "b"), "x");
        }
    }

    @ParameterizedTest
    @CsvSource({"1,1", "2,1", "3,1", "1,2"})
    void gradientCheck(int dilation, int stride) {
        SeparableConv2D conf = new SeparableConv2D(3, 4, dilation).stride(stride).activation(FusedActivation.RELU);
        LayerHarness h = LayerHarness.layer(conf, DataType.DOUBLE, 3, 7, 8);
        h.gradientCheck(() -> new INDArray[]{Nd4j.rand(DataType.DOUBLE, 2, 3, 7, 8).subi(0.5)}, true, new int[]{0},
                List.of("depthwise", "pointwise", "b"));
    }
}
