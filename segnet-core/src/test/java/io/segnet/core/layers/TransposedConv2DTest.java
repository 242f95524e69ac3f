package io.segnet.core.layers;

import io.segnet.core.testutil.Golden;
import io.segnet.core.testutil.GoldenCheck;
import io.segnet.core.testutil.LayerHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransposedConv2DTest {

    @ParameterizedTest
    @ValueSource(strings = {"deconv_k4_s2_p1", "deconv_k2_s2_p0", "deconv_k3_s2_p1_op1", "deconv_k3_s2_p0_op1_nobias"})
    void matchesPyTorch(String name) {
        Golden g = Golden.load(name);
        long[] x = g.tensor("x", DataType.DOUBLE).shape(), w = g.tensor("w", DataType.DOUBLE).shape();
        for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            TransposedConv2D conf = new TransposedConv2D(x[1], w[1], (int) w[2], g.intAttr("stride"))
                    .padding(g.intAttr("padding")).outputPadding(g.intAttr("output_padding")).bias(g.boolAttr("bias"));
            Map<String, String> params = new LinkedHashMap<>();
            params.put("w", "W");
            if (g.boolAttr("bias")) {
                params.put("b", "b");
            }
            GoldenCheck.run(g, LayerHarness.layer(conf, type, x[1], x[2], x[3]), type, params, "x");
        }
    }

    @ParameterizedTest
    @CsvSource({"4,2,1,0", "3,2,1,1", "2,2,0,0", "3,1,1,0"})
    void gradientCheck(int k, int s, int p, int op) {
        TransposedConv2D conf = new TransposedConv2D(2, 3, k, s).padding(p).outputPadding(op);
        LayerHarness h = LayerHarness.layer(conf, DataType.DOUBLE, 2, 4, 5);
        h.gradientCheck(() -> new INDArray[]{Nd4j.rand(DataType.DOUBLE, 2, 2, 4, 5)}, true, new int[]{0},
                List.of("W", "b"));
    }

    @Test
    void explicitOutputSizeDerivesOutputPadding() {
        TransposedConv2D conf = new TransposedConv2D(2, 2, 3, 2).padding(1).outputSize(10, 9);
        LayerHarness h = LayerHarness.layer(conf, DataType.DOUBLE, 2, 5, 5);
        INDArray y = h.forward(true, Nd4j.rand(DataType.DOUBLE, 1, 2, 5, 5));
        assertArrayEquals(new long[]{1, 2, 10, 9}, y.shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> h.forward(true, Nd4j.rand(DataType.DOUBLE, 1, 2, 3, 5)));
        assertTrue(e.getMessage().contains("cannot give output length 10"), e.getMessage());
    }

    @Test
    void bilinearInitialisationUpsamplesBilinearly() {
        // FCN's 2x upsampling kernel (k4 s2 p1) maps a constant map to the same constant away from the border.
        TransposedConv2D conf = new TransposedConv2D(3, 3, 4, 2).padding(1).bias(false).bilinearInit(true);
        LayerHarness h = LayerHarness.layer(conf, DataType.DOUBLE, 3, 6, 6);
        INDArray y = h.forward(false, Nd4j.ones(DataType.DOUBLE, 1, 3, 6, 6).muli(2.5));
        INDArray inner = y.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(1, 11),
                NDArrayIndex.interval(1, 11));
        assertEquals(2.5, inner.minNumber().doubleValue(), 1e-12);
        assertEquals(2.5, inner.maxNumber().doubleValue(), 1e-12);
        // Channels do not mix.
        assertEquals(0.0, h.param("W").getDouble(0, 1, 1, 1), 0.0);
        assertEquals(0.5625, h.param("W").getDouble(1, 1, 1, 1), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> LayerHarness.layer(
                new TransposedConv2D(3, 4, 4, 2).bilinearInit(true), DataType.DOUBLE, 3, 6, 6));
    }
}
