package io.segnet.core.graph;

import io.segnet.core.testutil.Golden;
import io.segnet.core.testutil.GoldenCheck;
import io.segnet.core.testutil.LayerHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerticesTest {

    @ParameterizedTest
    @ValueSource(strings = {"resize_up_size_ac0", "resize_up_size_ac1", "resize_down_size_ac0", "resize_down_size_ac1",
            "resize_scale4_ac0", "resize_scale1p5_ac0", "resize_from1x1", "resize_up_large_ac0",
            "resize_down_large_ac1"})
    void bilinearResizeMatchesPyTorch(String name) {
        Golden g = Golden.load(name);
        long[] x = g.tensor("x", DataType.DOUBLE).shape();
        boolean ac = g.boolAttr("align_corners");
        for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            if (g.attr("size").isNull()) {
                LayerHarness h = LayerHarness.vertex(BilinearResize.byScale(g.doubleAttr("scale"), ac), type,
                        new long[]{x[1], x[2], x[3]});
                GoldenCheck.run(g, h, type, Map.of(), "x");
            } else {
                long oh = g.attr("size").get(0).asLong(), ow = g.attr("size").get(1).asLong();
                LayerHarness h = LayerHarness.vertex(BilinearResize.toReference(ac), type,
                        new long[]{x[1], x[2], x[3]}, new long[]{1, oh, ow});
                INDArray ref = Nd4j.zeros(type, x[0], 1, oh, ow);
                // GoldenCheck feeds golden inputs by name; the reference is not a golden tensor, so run by hand.
                INDArray y = h.forward(true, g.tensor("x", type), ref);
                io.segnet.core.testutil.Assertions.assertClose(g.tensor("y", DataType.DOUBLE), y,
                        GoldenCheck.tolerance(type), name + " output");
                LayerHarness.Grads grads = h.backward(g.tensor("R", type));
                io.segnet.core.testutil.Assertions.assertClose(g.tensor("grad_x", DataType.DOUBLE), grads.inputs()[0],
                        GoldenCheck.tolerance(type), name + " grad x");
                assertEquals(0.0, grads.inputs()[1].amaxNumber().doubleValue(), 0.0);
            }
        }
    }

    @Test
    void bilinearResizeGradientChecks() {
        LayerHarness byRef = LayerHarness.vertex(BilinearResize.toReference(false), DataType.DOUBLE,
                new long[]{2, 4, 5}, new long[]{1, 7, 3});
        byRef.gradientCheck(() -> new INDArray[]{Nd4j.rand(DataType.DOUBLE, 2, 2, 4, 5), Nd4j.zeros(DataType.DOUBLE, 2, 1, 7, 3)},
                true, new int[]{0}, List.of());
        LayerHarness aligned = LayerHarness.vertex(BilinearResize.byScale(2.5, true), DataType.DOUBLE, new long[]{2, 3, 4});
        aligned.gradientCheck(() -> new INDArray[]{Nd4j.rand(DataType.DOUBLE, 1, 2, 3, 4)}, true, new int[]{0}, List.of());
    }

    @ParameterizedTest
    @ValueSource(strings = {"nearest_double", "nearest_up_size", "nearest_down_size", "nearest_scale3",
            "nearest_up_large"})
    void nearestResizeMatchesPyTorch(String name) {
        Golden g = Golden.load(name);
        long[] x = g.tensor("x", DataType.DOUBLE).shape();
        for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            if (g.attr("size").isNull()) {
                LayerHarness h = LayerHarness.vertex(NearestResize.byScale(g.doubleAttr("scale")), type,
                        new long[]{x[1], x[2], x[3]});
                GoldenCheck.run(g, h, type, Map.of(), "x");
            } else {
                long oh = g.attr("size").get(0).asLong(), ow = g.attr("size").get(1).asLong();
                LayerHarness h = LayerHarness.vertex(NearestResize.toReference(), type, new long[]{x[1], x[2], x[3]},
                        new long[]{1, oh, ow});
                INDArray y = h.forward(true, g.tensor("x", type), Nd4j.zeros(type, x[0], 1, oh, ow));
                io.segnet.core.testutil.Assertions.assertClose(g.tensor("y", DataType.DOUBLE), y,
                        GoldenCheck.tolerance(type), name + " output");
                LayerHarness.Grads grads = h.backward(g.tensor("R", type));
                io.segnet.core.testutil.Assertions.assertClose(g.tensor("grad_x", DataType.DOUBLE), grads.inputs()[0],
                        GoldenCheck.tolerance(type), name + " grad x");
                assertEquals(0.0, grads.inputs()[1].amaxNumber().doubleValue(), 0.0);
            }
        }
    }

    @Test
    void nearestDoublingRepeatsEveryPixelAndPassesAGradientCheck() {
        LayerHarness h = LayerHarness.vertex(NearestResize.byScale(2), DataType.DOUBLE, new long[]{2, 3, 4});
        INDArray x = Nd4j.rand(DataType.DOUBLE, 1, 2, 3, 4);
        INDArray y = h.forward(true, x);
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 8; j++) {
                assertEquals(x.getDouble(0, 1, i / 2, j / 2), y.getDouble(0, 1, i, j), 0.0);
            }
        }
        h.gradientCheck(() -> new INDArray[]{Nd4j.rand(DataType.DOUBLE, 1, 2, 3, 4)}, true, new int[]{0}, List.of());
    }

    @Test
    void matchSizeCropsAndPadsCentred() {
        LayerHarness h = LayerHarness.vertex(new MatchSize(), DataType.DOUBLE, new long[]{2, 6, 5}, new long[]{1, 4, 8});
        INDArray x = Nd4j.rand(DataType.DOUBLE, 1, 2, 6, 5);
        INDArray y = h.forward(true, x, Nd4j.zeros(DataType.DOUBLE, 1, 1, 4, 8));
        assertArrayEquals(new long[]{1, 2, 4, 8}, y.shape());
        // Rows: crop 6 -> 4 drops one row each side; cols: pad 5 -> 8 puts 1 zero left, 2 right.
        assertEquals(x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(1, 5), NDArrayIndex.all()),
                y.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(1, 6)));
        assertEquals(0.0, y.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(0)).amaxNumber().doubleValue());
        h.gradientCheck(() -> new INDArray[]{Nd4j.rand(DataType.DOUBLE, 1, 2, 6, 5), Nd4j.zeros(DataType.DOUBLE, 1, 1, 4, 8)},
                true, new int[]{0}, List.of());
    }

    @Test
    void matchSizeAtOffsetCropsLikeFcn() {
        LayerHarness h = LayerHarness.vertex(MatchSize.atOffset(-5, -5), DataType.DOUBLE, new long[]{1, 12, 12}, new long[]{1, 4, 4});
        INDArray x = Nd4j.rand(DataType.DOUBLE, 1, 1, 12, 12);
        INDArray y = h.forward(true, x, Nd4j.zeros(DataType.DOUBLE, 1, 1, 4, 4));
        assertEquals(x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(5, 9), NDArrayIndex.interval(5, 9)), y);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> h.forward(true, Nd4j.rand(DataType.DOUBLE, 1, 1, 3, 3), Nd4j.zeros(DataType.DOUBLE, 1, 1, 4, 4)));
        assertTrue(e.getMessage().contains("does not overlap"), e.getMessage());
    }
}
