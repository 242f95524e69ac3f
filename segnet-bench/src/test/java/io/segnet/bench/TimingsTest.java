package io.segnet.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimingsTest {

    @Test
    void theJsonLineHasTorchReferencesFormat() {
        Timings t = Timings.of(new double[] {31.5, 12.25, 20.004, 19.996, 40}, new double[] {1, 2, 3, 4, 5});
        assertEquals("{\"case\": \"L1\", \"what\": \"conv 3x3, 64->64, N4 64x64, fwd+bwd\", \"ms_median\": 20.00,"
                + " \"ms_min\": 12.25, \"ms_max\": 40.00, \"runs\": 5}",
                t.jsonLine("L1", "conv 3x3, 64->64, N4 64x64, fwd+bwd"));
    }

    @Test
    void statisticsReadTheSortedTimes() {
        double[] wall = new double[300];
        for (int i = 0; i < wall.length; i++) {
            wall[i] = 300 - i;
        }
        Timings t = Timings.of(wall, new double[] {7, 3, 5});
        assertEquals(300, t.runs());
        assertEquals(151, t.median());
        assertEquals(1, t.min());
        assertEquals(300, t.max());
        assertEquals(271, t.percentile(90));
        assertEquals(300, t.percentile(100));
        assertEquals(5, t.cpuMedian());
        assertThrows(IllegalArgumentException.class, () -> t.percentile(101));
    }

    @Test
    void measureWarmsUpThenTimesTheRunsThePlanAsksFor() {
        int[] calls = {0};
        Timings t = Timings.measure(() -> calls[0]++, TimingPlan.of(3, 7));
        assertEquals(10, calls[0]);
        assertEquals(7, t.runs());
        assertTrue(t.min() >= 0 && t.min() <= t.median() && t.median() <= t.max());

        calls[0] = 0;
        long start = System.nanoTime();
        Timings.measure(() -> calls[0]++, new TimingPlan(1, 0.05, 2));
        assertTrue(System.nanoTime() - start >= 50_000_000L, "warm-up lasts at least its seconds");
        assertTrue(calls[0] > 3, "warm-up repeats the step until its seconds are over: " + calls[0]);
    }

    /** Short steps are timed until the plan's timed seconds are full (capped), long ones just the plan's runs. */
    @Test
    void shortStepsAreTimedUntilTheTimedSecondsAreFull() {
        Timings quick = Timings.measure(() -> { }, new TimingPlan(0, 0, 5, 0.02));
        assertEquals(TimingPlan.MAX_RUNS, quick.runs(), "an empty step reaches the cap before 20 ms");
        Timings slow = Timings.measure(() -> sleep(5), new TimingPlan(0, 0, 3, 0.04));
        assertTrue(slow.runs() >= 3 && slow.runs() <= 8, "steps of 5 ms or more fill 40 ms in at most 8 runs: "
                + slow.runs());
        Timings fixed = Timings.measure(() -> sleep(5), new TimingPlan(0, 0, 3));
        assertEquals(3, fixed.runs());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void planRejectsImpossibleCounts() {
        assertEquals(new TimingPlan(12, TimingPlan.REFERENCE_WARMUP_SECONDS, 5, TimingPlan.REFERENCE_TIMED_SECONDS),
                TimingPlan.reference());
        assertThrows(IllegalArgumentException.class, () -> new TimingPlan(0, 0, 5, -1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TimingPlan.of(3, 0));
        assertTrue(e.getMessage().contains("runs (0) >= 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TimingPlan(-1, 0, 5));
        assertThrows(IllegalArgumentException.class, () -> new TimingPlan(0, Double.NaN, 5));
    }
}
