package io.segnet.bench.layers;

import io.segnet.bench.TimingPlan;
import io.segnet.bench.Timings;

import java.util.Locale;

/**
 * The times of one kernel in the kernel benchmarks: forward + backward, and forward alone, each 3 warm-up runs, then
 * 7 timed runs ({@link Timings}).
 *
 * @param both    forward + backward
 * @param forward forward alone
 */
record KernelTimes(Timings both, Timings forward) {

    /** 3 warm-up runs, then 7 timed runs. */
    static final TimingPlan PLAN = TimingPlan.of(3, 7);

    /** Times {@code both}, then {@code forward}. */
    static KernelTimes measure(Runnable both, Runnable forward) {
        return new KernelTimes(Timings.measure(both, PLAN), Timings.measure(forward, PLAN));
    }

    /**
     * {@code KERNEL M ms (min M, fwd M, thread cpu M)} with {@code decimals} decimals: the median and minimum wall
     * milliseconds of forward + backward, the median of forward alone and the median CPU milliseconds of the calling
     * thread for forward + backward.
     */
    String describe(String kernel, int decimals) {
        String f = "%6." + decimals + "f";
        return String.format(Locale.ROOT, "%s " + f + " ms (min " + f + ", fwd " + f + ", thread cpu " + f + ")", kernel,
                both.median(), both.min(), forward.median(), both.cpuMedian());
    }

    /** How many times faster than {@code other} forward + backward runs, by the medians. */
    double speedUpOver(KernelTimes other) {
        return other.both.median() / both.median();
    }
}
