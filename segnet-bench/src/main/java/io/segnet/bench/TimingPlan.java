package io.segnet.bench;

/**
 * How a benchmark warms up and how many runs it times: at least {@code warmupRuns} untimed runs and at least
 * {@code warmupSeconds} of them, then at least {@code runs} timed runs and, for short steps, more, until the timed runs
 * add up to {@code timedSeconds} (at most {@link #MAX_RUNS}) ({@link Timings#measure}).
 *
 * @param warmupRuns    untimed runs before timing, at least ({@code >= 0})
 * @param warmupSeconds seconds of untimed runs before timing, at least ({@code >= 0})
 * @param runs          timed runs, at least ({@code >= 1})
 * @param timedSeconds  seconds of timed runs, at least, within {@link #MAX_RUNS} runs ({@code >= 0})
 */
public record TimingPlan(int warmupRuns, double warmupSeconds, int runs, double timedSeconds) {

    /** The most timed runs a plan with {@code timedSeconds} makes. */
    public static final int MAX_RUNS = 1000;

    /**
     * Seconds of timed runs, at least, of the reference cases. A case of a few milliseconds (L5-L7) timed 5 times
     * gives a median that moves by 2x between invocations on a shared machine (measured: L5 4.2 vs 6.2 ms, min 1.6
     * ms); 1 s of runs gives hundreds of them and a median that holds to a few percent.
     */
    public static final double REFERENCE_TIMED_SECONDS = 1.0;

    /**
     * Seconds of warm-up, at least, of the reference cases: the JVM compiles segnet's Java kernels (pooling, resize,
     * losses) and DL4J's graph code with its optimising compiler only after some thousand calls, and until then runs
     * them several times slower (measured on L5-L8: 1.3-3x); on 2 cores the compiler threads also take CPU from the
     * computation. PyTorch's kernels are compiled ahead of time, so its 2 warm-up runs reach the steady state that a
     * training loop sees after its first seconds; this gives segnet's the same footing. 3 s was not enough for the
     * millisecond cases: L5's step, timed in blocks of 300 runs, took 4.8, 2.8, 6.0, 4.1 and 2.4 ms (medians) up to
     * 7.7 s and 1.85-2.05 ms from 9 s on, with 15-90 methods compiled per block until then.
     */
    public static final double REFERENCE_WARMUP_SECONDS = 10.0;

    /**
     * Warm-up runs, at least, of the reference cases: the seconds alone do not cover the longer steps. M2's training
     * step (about 0.6 s when warm) took 4 s the first time and 0.8-0.9 s for the next 9-10 runs (two 40-step loops),
     * so 10 s of warm-up left the timed runs in the JIT's last stretch, and 2 of 5 {@code compare.py} runs read it at
     * 911-929 ms instead of 683-725 ms.
     */
    public static final int REFERENCE_WARMUP_RUNS = 12;

    /** Checks the counts. */
    public TimingPlan {
        if (warmupRuns < 0 || !(warmupSeconds >= 0) || runs < 1 || !(timedSeconds >= 0)) {
            throw new IllegalArgumentException("warmupRuns (" + warmupRuns + "), warmupSeconds (" + warmupSeconds
                    + ") and timedSeconds (" + timedSeconds + ") must be >= 0 and runs (" + runs + ") >= 1");
        }
    }

    /** A plan of exactly {@code runs} timed runs, however short. */
    public TimingPlan(int warmupRuns, double warmupSeconds, int runs) {
        this(warmupRuns, warmupSeconds, runs, 0);
    }

    /**
     * The plan of the cases of {@code shared/bench/torch_reference.py} ({@code segnet benchmark}): at least
     * {@link #REFERENCE_WARMUP_RUNS} warm-up runs and {@link #REFERENCE_WARMUP_SECONDS} of warm-up (PyTorch: 2 runs),
     * then its 5 timed runs and, for cases shorter than 200 ms, as many as fill {@link #REFERENCE_TIMED_SECONDS}.
     */
    public static TimingPlan reference() {
        return new TimingPlan(REFERENCE_WARMUP_RUNS, REFERENCE_WARMUP_SECONDS, 5, REFERENCE_TIMED_SECONDS);
    }

    /** {@code warmupRuns} untimed runs, however short, then {@code runs} timed runs. */
    public static TimingPlan of(int warmupRuns, int runs) {
        return new TimingPlan(warmupRuns, 0, runs);
    }
}
