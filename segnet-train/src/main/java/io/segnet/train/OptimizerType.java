package io.segnet.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.schedule.ISchedule;

import java.util.Locale;

/** The optimisers a {@link TrainerConfig} can choose, as DL4J updaters. */
public enum OptimizerType {
    /** Adam (Kingma and Ba, 2015), beta1 0.9, beta2 0.999, epsilon 1e-8 (DL4J's {@link Adam} defaults). */
    ADAM,
    /**
     * Stochastic gradient descent with momentum. DL4J's momentum SGD ({@link Nesterovs}) is Nesterov's accelerated
     * gradient, not PyTorch's default heavy-ball {@code SGD(momentum=...)}; with the same learning rate and momentum
     * the two follow slightly different paths.
     */
    SGD;

    /** The DL4J updater with this optimiser, learning-rate schedule and momentum (SGD only). */
    public IUpdater updater(ISchedule learningRate, double momentum) {
        return switch (this) {
            case ADAM -> new Adam(learningRate);
            case SGD -> new Nesterovs(learningRate, momentum);
        };
    }

    /** {@code adam} or {@code sgd}. */
    @JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The optimiser named {@code name} (any case).
     *
     * @throws IllegalArgumentException for another name
     */
    @JsonCreator
    public static OptimizerType parse(String name) {
        for (OptimizerType t : values()) {
            if (t.name().equalsIgnoreCase(name.strip())) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown optimizer '" + name + "'; use adam or sgd (Nesterov momentum)");
    }

    @Override
    public String toString() {
        return key();
    }
}
