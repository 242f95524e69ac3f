package io.segnet.models;

import io.segnet.core.runtime.ActivationLiveness;
import io.segnet.core.runtime.GradientBuffers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Freeing dead activations during the backward pass ({@link ActivationLiveness}) changes where gradients are stored,
 * never what is computed: every architecture of {@link TrainingTest} trains to the same losses and the same parameters,
 * bit for bit, with it and without it, and the gradients really did use activation memory.
 */
class ActivationLivenessTest {
    private static final int STEPS = 3;

    @AfterEach
    void restore() {
        System.clearProperty(ActivationLiveness.ENABLED_PROPERTY);
        GradientBuffers.clear();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.segnet.models.TrainingTest#configs")
    void sameLossesAndParametersWithAndWithoutFreeing(String name, ModelConfig config) {
        INDArray[] batch = TestData.batch(5, 2, config.inChannels(), config.inputHeight(), config.inputWidth(),
                config.numClasses());

        System.setProperty(ActivationLiveness.ENABLED_PROPERTY, "false");
        GradientBuffers.clear();
        SegmentationModel kept = SegmentationModels.create(config, Training.adam(1e-2).withSeed(3));
        double[] keptLosses = train(kept, batch);
        assertEquals(0, GradientBuffers.deadBytesServedLastStep(), name + ": nothing served when switched off");
        long keptPool = GradientBuffers.pooledBytes();

        System.clearProperty(ActivationLiveness.ENABLED_PROPERTY);
        SegmentationModel freed = SegmentationModels.create(config, Training.adam(1e-2).withSeed(3));
        double[] freedLosses = train(freed, batch);
        long served = GradientBuffers.deadBytesServedLastStep();
        assertTrue(served > 0, name + ": no gradient was served from dead activations");
        long freedPool = GradientBuffers.pooledBytes();
        assertTrue(freedPool < keptPool, name + ": gradient buffers kept " + freedPool + " bytes, against " + keptPool
                + " without freeing");

        for (int i = 0; i < STEPS; i++) {
            assertEquals(keptLosses[i], freedLosses[i], 0.0, name + ": loss of step " + (i + 1));
        }
        assertEquals(kept.graph().params(), freed.graph().params(), name + ": parameters after " + STEPS + " steps");
    }

    private static double[] train(SegmentationModel model, INDArray[] batch) {
        double[] losses = new double[STEPS];
        for (int i = 0; i < STEPS; i++) {
            losses[i] = model.fit(batch[0], batch[1]);
        }
        return losses;
    }
}
