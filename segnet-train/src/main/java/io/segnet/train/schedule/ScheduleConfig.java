package io.segnet.train.schedule;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.nd4j.linalg.schedule.ISchedule;

import java.util.Locale;
import java.util.Objects;

/**
 * A learning-rate schedule as data, the form a trainer config holds: which decay, its parameters, and an optional
 * linear warm-up. {@link #build(double, int)} turns it into the {@link ISchedule} for a base learning rate and a run
 * length. Immutable, validated on construction, read and written by Jackson ({@code type} in lower case).
 *
 * <p>Defaults ({@link #poly()}): poly decay with power 0.9 to 0, no warm-up.
 *
 * @param type              {@code constant}, {@code poly}, {@code cosine} or {@code step}
 * @param power             poly exponent, {@code > 0} (0.9)
 * @param minLearningRate   final value of poly and cosine, {@code >= 0} and below the base rate (0)
 * @param stepIterations    iterations between steps of {@code step}, {@code >= 1} (used by {@code step} only)
 * @param gamma             factor of each step, in (0, 1] (0.1)
 * @param warmupIterations  length of a linear warm-up, {@code >= 0} (0: none)
 * @param warmupStartFactor fraction of the scheduled rate at iteration 0 of the warm-up, in [0, 1) (0.1)
 */
public record ScheduleConfig(Type type, double power, double minLearningRate, int stepIterations, double gamma,
                             int warmupIterations, double warmupStartFactor) {

    /** The decay families. */
    public enum Type {
        /** The base rate throughout ({@link ConstantRate}). */
        CONSTANT,
        /** {@link PolyDecay} over the whole run. */
        POLY,
        /** {@link CosineDecay} over the whole run. */
        COSINE,
        /** {@link StepDecay} every {@code stepIterations}. */
        STEP;

        /** The type named {@code name} (any case), or an exception that lists the names. */
        @JsonCreator
        public static Type parse(String name) {
            for (Type t : values()) {
                if (t.name().equalsIgnoreCase(name.strip())) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown learning-rate schedule '" + name
                    + "'; use constant, poly, cosine or step");
        }

        @JsonValue
        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Checks every field that the type uses, and the warm-up. */
    public ScheduleConfig {
        Objects.requireNonNull(type, "schedule type (constant, poly, cosine or step)");
        if (!(power > 0) || Double.isInfinite(power)) {
            throw new IllegalArgumentException("schedule power is " + power + "; use a positive exponent, e.g. 0.9");
        }
        if (!(minLearningRate >= 0) || Double.isInfinite(minLearningRate)) {
            throw new IllegalArgumentException("schedule minLearningRate is " + minLearningRate + "; use a value >= 0");
        }
        if (type == Type.STEP && stepIterations < 1) {
            throw new IllegalArgumentException("a step schedule needs stepIterations >= 1, got " + stepIterations
                    + "; set how many iterations pass between two multiplications by gamma");
        }
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("schedule gamma is " + gamma + "; use a factor in (0, 1], e.g. 0.1");
        }
        if (warmupIterations < 0) {
            throw new IllegalArgumentException("warmupIterations is " + warmupIterations + "; use 0 (no warm-up) or more");
        }
        if (!(warmupStartFactor >= 0 && warmupStartFactor < 1)) {
            throw new IllegalArgumentException("warmupStartFactor is " + warmupStartFactor
                    + "; use a fraction in [0, 1), e.g. 0.1");
        }
    }

    /** Poly decay, power 0.9, to 0, no warm-up. */
    public static ScheduleConfig poly() {
        return new ScheduleConfig(Type.POLY, PolyDecay.DEFAULT_POWER, 0, 1, 0.1, 0, 0.1);
    }

    /** The base learning rate throughout. */
    public static ScheduleConfig constant() {
        return poly().withType(Type.CONSTANT);
    }

    /** Cosine decay to 0, no warm-up. */
    public static ScheduleConfig cosine() {
        return poly().withType(Type.COSINE);
    }

    /** Multiply by {@code gamma} every {@code stepIterations}. */
    public static ScheduleConfig step(int stepIterations, double gamma) {
        return new ScheduleConfig(Type.STEP, PolyDecay.DEFAULT_POWER, 0, stepIterations, gamma, 0, 0.1);
    }

    /** This schedule with another decay type. */
    public ScheduleConfig withType(Type newType) {
        return new ScheduleConfig(newType, power, minLearningRate, stepIterations, gamma, warmupIterations,
                warmupStartFactor);
    }

    /** This schedule with a linear warm-up of {@code iterations} starting at {@code startFactor} of the rate. */
    public ScheduleConfig withWarmup(int iterations, double startFactor) {
        return new ScheduleConfig(type, power, minLearningRate, stepIterations, gamma, iterations, startFactor);
    }

    /** This schedule decaying to {@code min} instead of 0 (poly and cosine). */
    public ScheduleConfig withMinLearningRate(double min) {
        return new ScheduleConfig(type, power, min, stepIterations, gamma, warmupIterations, warmupStartFactor);
    }

    /**
     * The schedule for a run.
     *
     * @param learningRate    the base (peak) learning rate, {@code > 0}
     * @param totalIterations the run's length in optimiser iterations, {@code >= 1}; poly and cosine reach their
     *                        minimum there
     * @throws IllegalArgumentException if the rate is not positive, {@code minLearningRate} exceeds it, or the
     *                                  warm-up is not shorter than the run
     */
    public ISchedule build(double learningRate, int totalIterations) {
        if (warmupIterations >= totalIterations) {
            throw new IllegalArgumentException("the warm-up (" + warmupIterations + " iterations) is not shorter than"
                    + " the run (" + totalIterations + " iterations); shorten the warm-up or train longer");
        }
        if (minLearningRate > learningRate) {
            throw new IllegalArgumentException("minLearningRate " + minLearningRate + " is above the learning rate "
                    + learningRate + "; the schedule decays from the learning rate to minLearningRate");
        }
        ISchedule main = switch (type) {
            case CONSTANT -> new ConstantRate(learningRate);
            case POLY -> new PolyDecay(learningRate, totalIterations, power, minLearningRate);
            case COSINE -> new CosineDecay(learningRate, totalIterations, minLearningRate);
            case STEP -> new StepDecay(learningRate, stepIterations, gamma);
        };
        return warmupIterations == 0 ? main : new LinearWarmup(main, warmupIterations, warmupStartFactor);
    }
}
