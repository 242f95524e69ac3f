package io.segnet.train.schedule;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Cosine annealing without restarts (Loshchilov and Hutter, SGDR, 2017; PyTorch's {@code CosineAnnealingLR}):
 * {@code value(i) = min + (initial - min) * (1 + cos(pi * min(i, maxIterations) / maxIterations)) / 2}.
 *
 * @param initial       value at iteration 0, {@code > 0}
 * @param maxIterations iteration at which the value reaches {@code min}, {@code >= 1}
 * @param min           final value, {@code 0 <= min <= initial}
 */
public record CosineDecay(@JsonProperty("initial") double initial, @JsonProperty("maxIterations") int maxIterations,
                          @JsonProperty("min") double min) implements ISchedule {

    /** Checks the ranges. */
    public CosineDecay {
        Schedules.requireRate("CosineDecay", "initial", initial);
        Schedules.requireIterations("CosineDecay", "maxIterations", maxIterations);
        Schedules.requireMin("CosineDecay", min, initial);
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        double progress = Math.min(Math.max(iteration, 0), maxIterations) / (double) maxIterations;
        return min + (initial - min) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }

    /** Immutable: returns itself. */
    @Override
    public ISchedule clone() {
        return this;
    }
}
