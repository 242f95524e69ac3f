package io.segnet.core.runtime;

import org.bytedeco.javacpp.Pointer;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Returns memory that the C allocator holds but no longer uses to the operating system ({@code malloc_trim} on
 * glibc), through the JVM's {@code System.trim_native_heap} diagnostic command.
 *
 * <p>Why: ND4J and oneDNN allocate and free their native buffers from many threads (the training thread, OpenMP
 * workers, ND4J's deallocator), and glibc keeps freed memory in per-thread arenas. Over thousands of training steps
 * the arenas fragment and the process's resident memory creeps up (measured on the M2NIST soak: 1.0 to 1.4 GiB over
 * 3000 steps) although the Java heap and the live native arrays stay flat. Trimming every few seconds keeps it flat;
 * {@link Trimmer} does that from a training loop. A trim takes longer the more it releases (measured: about 200 ms to
 * release 3 GiB), and the pages it releases are faulted in again when next allocated.
 *
 * <p>The command exists from OpenJDK 17.0.9 on (and in 21+); on older JVMs, other allocators or other systems
 * {@link #trim()} does nothing and returns {@code false}.
 */
public final class NativeHeap {
    private static final String OPERATION = "systemTrimNativeHeap";
    private static volatile Boolean supported;

    private NativeHeap() {
    }

    /**
     * Trims the C heap now.
     *
     * @return {@code true} if the JVM ran the trim, {@code false} if this JVM or system cannot (then later calls
     *         return {@code false} at once)
     */
    public static boolean trim() {
        if (Boolean.FALSE.equals(supported)) {
            return false;
        }
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            Object out = server.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), OPERATION,
                    new Object[]{new String[0]}, new String[]{String[].class.getName()});
            // On systems without malloc_trim the command answers "Not available" instead of failing.
            boolean ran = !(out instanceof String s) || !s.contains("Not available");
            supported = ran;
            return ran;
        } catch (Exception | LinkageError e) {
            supported = false;
            return false;
        }
    }

    /**
     * The process's resident set size in bytes: {@code VmRSS} of {@code /proc/self/status} on Linux, else JavaCPP's
     * estimate ({@link Pointer#physicalBytes()}).
     */
    public static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).strip().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return Pointer.physicalBytes();
    }

    /**
     * Trims at most once per interval, for calling after every step of a loop. Not thread-safe; one per loop.
     */
    public static final class Trimmer {
        private final long intervalNanos;
        private long last = System.nanoTime();

        /**
         * @param interval time between trims; {@link Duration#ZERO} turns trimming off
         * @throws IllegalArgumentException if negative
         */
        public Trimmer(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("the native heap trim interval must be >= 0, got " + interval);
            }
            this.intervalNanos = interval.toNanos();
        }

        /** Trims if the interval has passed since the last trim (or since construction); true if it trimmed. */
        public boolean maybeTrim() {
            if (intervalNanos == 0) {
                return false;
            }
            long now = System.nanoTime();
            if (now - last < intervalNanos) {
                return false;
            }
            last = now;
            return trim();
        }
    }
}
