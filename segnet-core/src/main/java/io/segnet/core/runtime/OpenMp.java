package io.segnet.core.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How the OpenMP worker threads of ND4J's and oneDNN's native libraries wait between parallel regions.
 *
 * <p>GNU OpenMP's default lets every worker spin for a while (up to 300,000 polls) after each native op before it
 * sleeps. segnet interleaves native ops with its own Java kernels (fork-join pool) and OpenBLAS calls (OpenBLAS's
 * threads); on a machine with few cores the spinning workers hold the cores those need. Passive waiting (workers
 * sleep at once) removed that: the pyramid-pooling benchmark (L8) went from 58-74 ms with wide swings to 36-44 ms
 * on 2 cores.
 *
 * <p>libgomp reads {@code OMP_WAIT_POLICY} once, when it is loaded, so {@link #preferPassiveWaiting()} must run
 * before the first ND4J call; the {@code segnet} command line does this first thing. Library users can set
 * {@code OMP_WAIT_POLICY=PASSIVE} in the environment instead.
 */
public final class OpenMp {
    /** The environment variable libgomp reads. */
    public static final String WAIT_POLICY = "OMP_WAIT_POLICY";

    private OpenMp() {
    }

    /** What {@link #preferPassiveWaiting()} did. */
    public enum Outcome {
        /** Set to PASSIVE for this process. */
        SET,
        /** The environment already chose a policy, which is kept. */
        USER_CHOICE,
        /** OpenMP was already loaded (ND4J was used before), so the setting could not take effect. */
        TOO_LATE,
        /** Not Linux, or the C library binding is missing: nothing done. */
        UNSUPPORTED
    }

    /**
     * Sets {@code OMP_WAIT_POLICY=PASSIVE} for this process unless the environment sets it already. Call before the
     * first use of ND4J.
     */
    public static Outcome preferPassiveWaiting() {
        if (System.getenv(WAIT_POLICY) != null) {
            return Outcome.USER_CHOICE;
        }
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return Outcome.UNSUPPORTED;
        }
        if (openMpLoaded()) {
            return Outcome.TOO_LATE;
        }
        try {
            return org.bytedeco.systems.global.linux.setenv(WAIT_POLICY, "PASSIVE", 0) == 0 ? Outcome.SET
                    : Outcome.UNSUPPORTED;
        } catch (RuntimeException | LinkageError e) {
            return Outcome.UNSUPPORTED;
        }
    }

    /** Whether an OpenMP runtime is mapped into this process already (from {@code /proc/self/maps}). */
    static boolean openMpLoaded() {
        try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.anyMatch(l -> l.contains("libgomp") || l.contains("libiomp") || l.contains("libomp"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
