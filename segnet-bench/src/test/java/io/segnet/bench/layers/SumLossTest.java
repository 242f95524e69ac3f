package io.segnet.bench.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SumLoss}: the loss is the input's sum and its gradient is the scale everywhere, in FLOAT and DOUBLE. */
class SumLossTest {

    @Test
    void lossIsTheSumAndTheGradientIsTheScaleEverywhere() {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            SumLoss.Runtime r = new SumLoss.Runtime(new NeuralNetConfiguration(), type);
            Nd4j.getRandom().setSeed(3);
            // Not a multiple of the 65536-element blocks; values of both signs.
            INDArray z = Nd4j.rand(type, 3, 5, 97, 91).subi(0.25);
            INDArray grad = Nd4j.valueArrayOf(z.shape(), Double.NaN, type);
            double loss = r.loss(z, null, grad, 3.0);
            double expected = z.castTo(DataType.DOUBLE).sumNumber().doubleValue();
            assertEquals(expected, loss, 1e-9 * z.length(), type + " loss");
            assertEquals(3.0, grad.minNumber().doubleValue(), 0, type + " gradient");
            assertEquals(3.0, grad.maxNumber().doubleValue(), 0, type + " gradient");
            assertTrue(Math.abs(loss) > 1, "the test's values do not cancel out");
            assertEquals(expected, r.loss(z, null, null, 1.0), 1e-9 * z.length(), type + " loss without gradient");
        }
    }
}
