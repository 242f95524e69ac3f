package io.segnet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What competes for the cores while a benchmark runs: wall times suffer badly when other processes do (OpenMP and
 * OpenBLAS threads spin at barriers; {@code OMP_WAIT_POLICY=PASSIVE} helps), so benchmarks print this beside their
 * times.
 */
public final class Machine {
    private Machine() {
    }

    /** {@code OMP_NUM_THREADS=.., OMP_WAIT_POLICY=.., cores N, load L} (L: the 1-minute load average). */
    public static String describe() {
        return "OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS") + ", OMP_WAIT_POLICY="
                + System.getenv("OMP_WAIT_POLICY") + ", cores " + Runtime.getRuntime().availableProcessors()
                + ", load " + loadAverage();
    }

    /** The 1-minute load average (other processes compete for the cores), or "?" off Linux. */
    public static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
