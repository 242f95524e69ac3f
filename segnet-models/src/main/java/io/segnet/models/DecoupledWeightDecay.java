package io.segnet.models;

import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.nd4j.linalg.learning.regularization.WeightDecay;

import java.util.ArrayList;
import java.util.List;

/**
 * Decoupled weight decay (AdamW-style: {@code w -= lr * coefficient * w}, applied next to the optimiser's step rather
 * than added to the gradient) on a layer's weights, never on its biases or batch-norm parameters.
 *
 * <p>Why this class: set on DL4J 1.0.0-M2.1's global builder, {@code WeightDecay} ends up twice in every layer's list
 * (the layer is configured twice and {@code LayerValidation} appends weight decay without checking for it), so the
 * weights would decay twice as fast. segnet therefore never sets it globally; graphs get it per layer here, both when
 * built ({@link GraphAssembly}) and when a trainer replaces the optimiser of an existing model.
 */
public final class DecoupledWeightDecay {
    private DecoupledWeightDecay() {
    }

    /**
     * Gives {@code layer} exactly one decoupled weight decay of {@code coefficient} on its weights ({@code 0}: none)
     * and none on its biases, replacing whatever regularization it had.
     */
    public static void set(BaseLayer layer, double coefficient) {
        if (coefficient < 0 || Double.isNaN(coefficient)) {
            throw new IllegalArgumentException("weight decay must be >= 0 (0 for none), got " + coefficient);
        }
        layer.setRegularization(coefficient > 0 ? new ArrayList<>(List.of(new WeightDecay(coefficient, true)))
                : new ArrayList<>());
        layer.setRegularizationBias(new ArrayList<>());
    }
}
