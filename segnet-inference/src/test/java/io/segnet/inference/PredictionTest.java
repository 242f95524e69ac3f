package io.segnet.inference;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A prediction's class map and probabilities from its logits. */
class PredictionTest {

    @Test
    void probabilitiesAreTheSoftmaxOverChannels() {
        // 3 classes, 1x2 pixels, CHW: pixel 0 has logits (0, 1, 0), pixel 1 (1, 0, 1)
        Prediction p = Prediction.ofLogits(3, 1, 2, new float[] {0, 1, 1, 0, 0, 1});
        float[] q = p.probabilities();
        double e = Math.E;
        float a = (float) (1 / (e + 2)), b = (float) (e / (e + 2)), c = (float) (e / (2 * e + 1)),
                d = (float) (1 / (2 * e + 1));
        assertArrayEquals(new float[] {a, c, b, d, a, c}, q, 1e-6f);
        assertArrayEquals(new int[] {1, 0}, p.classMap(), "ties go to the lowest id");
    }

    @Test
    void aOneChannelModelHasTheSigmoidAndItsComplement() {
        Prediction p = Prediction.ofLogits(1, 1, 2, new float[] {0, 2});
        float[] q = p.probabilities();
        assertEquals(4, q.length);
        double s = 1 / (1 + Math.exp(-2));
        assertArrayEquals(new float[] {0.5f, (float) (1 - s), 0.5f, (float) s}, q, 1e-6f);
    }
}
