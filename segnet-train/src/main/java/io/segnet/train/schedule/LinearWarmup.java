package io.segnet.train.schedule;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Objects;

/**
 * Linear warm-up in front of another schedule, as mmcv's {@code warmup='linear'}: for {@code i < warmupIterations}
 * the value is {@code after(i) * (1 - (1 - i / warmupIterations) * (1 - startFactor))}, rising linearly from
 * {@code startFactor * after(0)} towards {@code after(i)}; from {@code warmupIterations} on it is {@code after(i)}.
 * The schedule after the warm-up is not shifted: a poly decay over {@code N} iterations still ends at {@code N}.
 *
 * @param after            the schedule being warmed up, not itself a warm-up
 * @param warmupIterations length of the warm-up, {@code >= 1}
 * @param startFactor      fraction of the scheduled value at iteration 0, {@code 0 <= startFactor < 1} (0.1 usual)
 */
public record LinearWarmup(@JsonProperty("after") ISchedule after,
                           @JsonProperty("warmupIterations") int warmupIterations,
                           @JsonProperty("startFactor") double startFactor) implements ISchedule {

    /** Checks the ranges. */
    public LinearWarmup {
        Objects.requireNonNull(after, "LinearWarmup: the schedule after the warm-up is null");
        if (after instanceof LinearWarmup) {
            throw new IllegalArgumentException("LinearWarmup: the schedule after the warm-up is itself a warm-up;"
                    + " use one warm-up with the combined length");
        }
        Schedules.requireIterations("LinearWarmup", "warmupIterations", warmupIterations);
        if (!(startFactor >= 0 && startFactor < 1)) {
            throw new IllegalArgumentException("LinearWarmup: startFactor is " + startFactor
                    + "; use a fraction in [0, 1), e.g. 0.1");
        }
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        double value = after.valueAt(iteration, epoch);
        if (iteration >= warmupIterations) {
            return value;
        }
        double remaining = 1 - Math.max(iteration, 0) / (double) warmupIterations;
        return value * (1 - remaining * (1 - startFactor));
    }

    /** Immutable: returns itself. */
    @Override
    public ISchedule clone() {
        return this;
    }
}
