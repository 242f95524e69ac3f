package io.segnet.bench.inference;

import io.segnet.inference.Prediction;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The softmax sum and the sub-pixel shift that {@link ModelAverage} scores. */
class ModelAverageTest {

    @Test
    void probabilitiesOfEveryPixelSumToOneForSoftmaxAndSigmoidModels() {
        float[] sum = new float[2 * 3];
        ModelAverage.addProbabilities(new Prediction(1, 3, 2, new int[3], new float[] {0, 5, -1, 0, 0, 3}), sum);
        ModelAverage.addProbabilities(new Prediction(1, 3, 1, new int[3], new float[] {0, 2, -2}), sum);
        for (int q = 0; q < 3; q++) {
            assertEquals(2, sum[q] + sum[3 + q], 1e-6);
        }
        assertEquals(0.5 + 0.5, sum[0], 1e-6);
        assertEquals(1 / (1 + Math.exp(-5)) + 1 - 1 / (1 + Math.exp(-2)), sum[1], 1e-6);
    }

    @Test
    void aWholePixelShiftMovesThePlanesAndAHalfPixelShiftAveragesNeighbours() {
        // two classes, 2x3: class 0 = 0..5, class 1 = 10..15
        float[] planes = {0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15};
        float[] down = ModelAverage.shift(planes, 2, 2, 3, 1, 0);
        assertArrayEquals(new float[] {0, 1, 2, 0, 1, 2, 10, 11, 12, 10, 11, 12}, down);
        float[] left = ModelAverage.shift(planes, 2, 2, 3, 0, -1);
        assertArrayEquals(new float[] {1, 2, 2, 4, 5, 5, 11, 12, 12, 14, 15, 15}, left);
        float[] halfRight = ModelAverage.shift(planes, 2, 2, 3, 0, 0.5);
        assertArrayEquals(new float[] {0, 0.5f, 1.5f, 3, 3.5f, 4.5f, 10, 10.5f, 11.5f, 13, 13.5f, 14.5f}, halfRight);
        assertArrayEquals(planes, ModelAverage.shift(planes, 2, 2, 3, 0, 0));
    }
}
