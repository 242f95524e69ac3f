package io.segnet.train.schedule;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Polynomial decay, as DeepLab and mmsegmentation's {@code PolyLR}:
 * {@code value(i) = (initial - min) * (1 - min(i, maxIterations) / maxIterations)^power + min}.
 * The usual power is 0.9; the value reaches {@code min} at {@code maxIterations} and stays there.
 *
 * <p>Unlike DL4J's {@code PolySchedule} (which computes {@code init * (1 + i/max)^p} and grows), this one decays.
 *
 * @param initial       value at iteration 0, {@code > 0}
 * @param maxIterations iteration at which the value reaches {@code min}, {@code >= 1}
 * @param power         exponent, {@code > 0} (0.9 usual)
 * @param min           final value, {@code 0 <= min <= initial}
 */
public record PolyDecay(@JsonProperty("initial") double initial, @JsonProperty("maxIterations") int maxIterations,
                        @JsonProperty("power") double power, @JsonProperty("min") double min) implements ISchedule {

    /** The conventional exponent of DeepLab's poly schedule. */
    public static final double DEFAULT_POWER = 0.9;

    /** Checks the ranges. */
    public PolyDecay {
        Schedules.requireRate("PolyDecay", "initial", initial);
        Schedules.requireIterations("PolyDecay", "maxIterations", maxIterations);
        if (!(power > 0) || Double.isInfinite(power)) {
            throw new IllegalArgumentException("PolyDecay: power is " + power + "; use a positive exponent, e.g. 0.9");
        }
        Schedules.requireMin("PolyDecay", min, initial);
    }

    /** Decay from {@code initial} to 0 over {@code maxIterations} with power 0.9. */
    public static PolyDecay of(double initial, int maxIterations) {
        return new PolyDecay(initial, maxIterations, DEFAULT_POWER, 0);
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        double progress = Math.min(Math.max(iteration, 0), maxIterations) / (double) maxIterations;
        return (initial - min) * Math.pow(1 - progress, power) + min;
    }

    /** Immutable: returns itself. */
    @Override
    public ISchedule clone() {
        return this;
    }
}
