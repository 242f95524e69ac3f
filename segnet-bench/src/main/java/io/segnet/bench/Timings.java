package io.segnet.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * The one timing harness of segnet's benchmarks: {@link #measure} warms a step up and times it as a
 * {@link TimingPlan} says, recording each timed run's wall time and the CPU time of the calling thread (which is the
 * whole work of a single-threaded run and then hardly depends on other processes); the statistics and
 * {@link #jsonLine} read those times.
 */
public final class Timings {
    private final double[] wallMs;
    private final double[] cpuMs;

    private Timings(double[] wallMs, double[] cpuMs) {
        this.wallMs = wallMs.clone();
        this.cpuMs = cpuMs.clone();
        Arrays.sort(this.wallMs);
        Arrays.sort(this.cpuMs);
    }

    /**
     * Runs {@code step} untimed as long as {@code plan} asks (at least its warm-up runs and its warm-up seconds),
     * then at least {@code plan.runs()} times and until the timed runs add up to {@code plan.timedSeconds()} (at most
     * {@link TimingPlan#MAX_RUNS} runs), timing each run alone.
     */
    public static Timings measure(Runnable step, TimingPlan plan) {
        long start = System.nanoTime();
        for (int i = 0; i < plan.warmupRuns() || System.nanoTime() - start < plan.warmupSeconds() * 1e9; i++) {
            step.run();
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int capacity = Math.max(plan.runs(), plan.timedSeconds() > 0 ? TimingPlan.MAX_RUNS : 0);
        double[] wall = new double[capacity];
        double[] cpu = new double[capacity];
        double timedMs = 0;
        int n = 0;
        while (n < plan.runs() || n < capacity && timedMs < plan.timedSeconds() * 1e3) {
            long c = threads.getCurrentThreadCpuTime();
            long t = System.nanoTime();
            step.run();
            wall[n] = (System.nanoTime() - t) / 1e6;
            cpu[n] = (threads.getCurrentThreadCpuTime() - c) / 1e6;
            timedMs += wall[n];
            n++;
        }
        return new Timings(Arrays.copyOf(wall, n), Arrays.copyOf(cpu, n));
    }

    /** Timed runs. */
    public int runs() {
        return wallMs.length;
    }

    /** Median wall milliseconds (the upper one of an even count). */
    public double median() {
        return wallMs[wallMs.length / 2];
    }

    /** Fastest run's wall milliseconds. */
    public double min() {
        return wallMs[0];
    }

    /** Slowest run's wall milliseconds. */
    public double max() {
        return wallMs[wallMs.length - 1];
    }

    /** Wall milliseconds of the run at {@code percent} percent of the sorted runs (90: the 90th percentile). */
    public double percentile(int percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("percent must be in 0..100, got " + percent);
        }
        return wallMs[Math.min(wallMs.length - 1, wallMs.length * percent / 100)];
    }

    /** Median CPU milliseconds of the calling thread. */
    public double cpuMedian() {
        return cpuMs[cpuMs.length / 2];
    }

    /**
     * One result line in {@code shared/bench/torch_reference.py}'s format, which {@code compare.py} reads:
     * {@code {"case", "what", "ms_median", "ms_min", "ms_max", "runs"}}, milliseconds with 2 decimals.
     */
    public String jsonLine(String name, String what) {
        return String.format(Locale.ROOT, "{\"case\": \"%s\", \"what\": \"%s\", \"ms_median\": %.2f, \"ms_min\": %.2f,"
                + " \"ms_max\": %.2f, \"runs\": %d}", name, what, median(), min(), max(), runs());
    }

    /** Times {@code wallMs} and {@code cpuMs} (in any order), for tests of the statistics. */
    static Timings of(double[] wallMs, double[] cpuMs) {
        return new Timings(wallMs, cpuMs);
    }
}
