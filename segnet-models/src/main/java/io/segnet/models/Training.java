package io.segnet.models;

import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

import java.util.Objects;

/**
 * How a new model's graph is set up for training: the optimiser, decoupled weight decay on convolution weights
 * (biases and batch-norm parameters are not decayed; running statistics are never touched by the optimiser), and the
 * seed of the weight initialisation. Weights start with He (ReLU) initialisation; FCN's upsampling kernels start as
 * bilinear interpolation.
 *
 * @param updater     the optimiser (DL4J updater config); stored with the model, with its state
 * @param weightDecay decoupled weight decay coefficient, {@code >= 0} (0: none)
 * @param seed        seed of the weight initialisation; recorded in the model card
 */
public record Training(IUpdater updater, double weightDecay, long seed) {

    /** Adam's default learning rate, as PyTorch's. */
    public static final double DEFAULT_LEARNING_RATE = 1e-3;

    /** Default seed of new models. */
    public static final long DEFAULT_SEED = 42;

    public Training {
        Objects.requireNonNull(updater, "Training: updater is null; use Training.adam(learningRate)");
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("Training: weightDecay must be finite and >= 0, got " + weightDecay);
        }
    }

    /** Adam with learning rate 1e-3, no weight decay, seed 42. */
    public static Training defaults() {
        return adam(DEFAULT_LEARNING_RATE);
    }

    /** Adam with the given learning rate, no weight decay, seed 42. */
    public static Training adam(double learningRate) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("Training: learning rate must be positive and finite, got "
                    + learningRate);
        }
        return new Training(new Adam(learningRate), 0, DEFAULT_SEED);
    }

    /** This setup with another seed. */
    public Training withSeed(long newSeed) {
        return new Training(updater, weightDecay, newSeed);
    }

    /** This setup with decoupled weight decay {@code coefficient}. */
    public Training withWeightDecay(double coefficient) {
        return new Training(updater, coefficient, seed);
    }
}
