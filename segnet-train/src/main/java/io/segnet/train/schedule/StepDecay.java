package io.segnet.train.schedule;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Step decay (PyTorch's {@code StepLR}): {@code value(i) = initial * gamma^floor(i / stepIterations)}.
 *
 * @param initial        value at iteration 0, {@code > 0}
 * @param stepIterations iterations between two multiplications by {@code gamma}, {@code >= 1}
 * @param gamma          factor, {@code 0 < gamma <= 1} (0.1 usual)
 */
public record StepDecay(@JsonProperty("initial") double initial, @JsonProperty("stepIterations") int stepIterations,
                        @JsonProperty("gamma") double gamma) implements ISchedule {

    /** Checks the ranges. */
    public StepDecay {
        Schedules.requireRate("StepDecay", "initial", initial);
        Schedules.requireIterations("StepDecay", "stepIterations", stepIterations);
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("StepDecay: gamma is " + gamma + "; use a factor in (0, 1], e.g. 0.1");
        }
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        return initial * Math.pow(gamma, Math.max(iteration, 0) / stepIterations);
    }

    /** Immutable: returns itself. */
    @Override
    public ISchedule clone() {
        return this;
    }
}
