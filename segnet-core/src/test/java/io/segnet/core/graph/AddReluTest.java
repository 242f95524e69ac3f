package io.segnet.core.graph;

import io.segnet.core.testutil.LayerHarness;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AddReluTest {

    private static INDArray signed(long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.DOUBLE, shape).subi(0.5).muli(4);
    }

    @Test
    void forwardIsReluOfTheSum() {
        LayerHarness h = LayerHarness.vertex(new AddRelu(), DataType.DOUBLE, new long[]{3, 4, 5}, new long[]{3, 4, 5},
                new long[]{3, 4, 5});
        INDArray a = signed(1, 2, 3, 4, 5), b = signed(2, 2, 3, 4, 5), c = signed(3, 2, 3, 4, 5);
        INDArray expected = Transforms.relu(a.add(b).addi(c));
        assertEquals(expected, h.forward(true, a, b, c));
    }

    @Test
    void gradientsMatchCentralDifferences() {
        LayerHarness h = LayerHarness.vertex(new AddRelu(), DataType.DOUBLE, new long[]{2, 3, 4}, new long[]{2, 3, 4});
        h.gradientCheck(() -> new INDArray[]{signed(4, 2, 2, 3, 4), signed(5, 2, 2, 3, 4)}, true, new int[]{0, 1},
                List.of());
    }

    @Test
    void inputsOfDifferentShapesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AddRelu().getOutputType(-1, org.deeplearning4j.nn.conf.inputs.InputType.convolutional(4, 4, 2),
                        org.deeplearning4j.nn.conf.inputs.InputType.convolutional(4, 4, 3)));
        assertEquals(true, e.getMessage().contains("one shape"), e.getMessage());
    }
}
