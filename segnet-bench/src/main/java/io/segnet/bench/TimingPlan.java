package io.segnet.bench;

/**
 * How a benchmark warms up and how many runs it times: at least {@code warmupRuns} untimed runs and at least
 * {@code warmupSeconds} of them, then {@code runs} timed runs ({@link Timings#measure}).
 *
 * @param warmupRuns    untimed runs before timing, at least ({@code >= 0})
 * @param warmupSeconds seconds of untimed runs before timing, at least ({@code >= 0})
 * @param runs          timed runs ({@code >= 1})
 */
public record TimingPlan(int warmupRuns, double warmupSeconds, int runs) {

    /**
     * Seconds of warm-up, at least, of the reference cases: the JVM compiles segnet's Java kernels (pooling, resize,
     * losses) with its optimising compiler only after some thousand calls of a loop, and until then runs them several
     * times slower (measured on L5-L8: 1.3-3x). PyTorch's kernels are compiled ahead of time, so its 2 warm-up runs
     * reach the steady state that a training loop sees after its first seconds; this gives segnet's the same footing.
     */
    public static final double REFERENCE_WARMUP_SECONDS = 3.0;

    /** Checks the counts. */
    public TimingPlan {
        if (warmupRuns < 0 || !(warmupSeconds >= 0) || runs < 1) {
            throw new IllegalArgumentException("warmupRuns (" + warmupRuns + ") and warmupSeconds (" + warmupSeconds
                    + ") must be >= 0 and runs (" + runs + ") >= 1");
        }
    }

    /**
     * The plan of the cases of {@code shared/bench/torch_reference.py} ({@code segnet benchmark}): its 2 warm-up runs
     * and 5 timed runs, with at least {@link #REFERENCE_WARMUP_SECONDS} of warm-up.
     */
    public static TimingPlan reference() {
        return new TimingPlan(2, REFERENCE_WARMUP_SECONDS, 5);
    }

    /** {@code warmupRuns} untimed runs, however short, then {@code runs} timed runs. */
    public static TimingPlan of(int warmupRuns, int runs) {
        return new TimingPlan(warmupRuns, 0, runs);
    }
}
