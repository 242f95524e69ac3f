package io.segnet.train.schedule;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The same value at every iteration; useful as the schedule a {@link LinearWarmup} leads into.
 *
 * @param value the learning rate, {@code > 0}
 */
public record ConstantRate(@JsonProperty("value") double value) implements ISchedule {

    /** Checks the value. */
    public ConstantRate {
        Schedules.requireRate("ConstantRate", "value", value);
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        return value;
    }

    /** Immutable: returns itself. */
    @Override
    public ISchedule clone() {
        return this;
    }
}
