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
    /**
     * System property: glibc's mmap threshold in bytes that segnet sets once per process ({@link #configure()});
     * default {@value #DEFAULT_MMAP_THRESHOLD}; 0 leaves glibc's own (dynamic) threshold.
     */
    public static final String MMAP_THRESHOLD_PROPERTY = "segnet.malloc.mmapThreshold";
    /** The mmap threshold segnet sets by default: 4 MiB. */
    public static final long DEFAULT_MMAP_THRESHOLD = 4L << 20;
    /** glibc's {@code M_MMAP_THRESHOLD} option of {@code mallopt}. */
    private static final int M_MMAP_THRESHOLD = -3;

    private static final String OPERATION = "systemTrimNativeHeap";
    private static volatile Boolean supported;
    private static volatile Boolean configured;

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
     * Sets glibc's mmap threshold once per process to {@value #MMAP_THRESHOLD_PROPERTY} (default 4 MiB), so that
     * native buffers of that size or more are mapped on their own and returned to the system when freed; called
     * before the first model runs ({@code SegmentationModel}, {@link GraphInference}, {@link GradientBuffers}).
     *
     * <p>Why: glibc starts with a 128 KiB threshold and raises it, up to 32 MiB, each time a mapped buffer is freed;
     * from then on buffers below it come from per-thread arenas of 64 MiB heaps, which glibc does not give back while
     * any chunk in them is in use. A training step's first pass, before DL4J's workspaces know their size, allocates
     * every activation that way (1.15 GB for DeepLabv3+ ResNet-50 at 384x480, batch 2) and frees it when the
     * workspace takes over; the freed gigabyte then stayed resident for the whole run beside the workspace. Measured
     * on that step, peak resident memory 3.8 GB, with a 1 MiB threshold 2.8 GB (PyTorch: 2.2 GB), at the same step time
     * (2.47 vs 2.52 s median; segnet reuses its other large buffers, see {@link GradientBuffers} and
     * {@link GraphInference}, so few allocations pay for fresh pages).
     *
     * <p>Why 4 MiB and not lower: the native libraries' own per-call temporaries are mapped and faulted in afresh on
     * every call when they are above the threshold. At 1 MiB, oneDNN's GEMM packing buffers (2.3 MB per call, cache
     * sized whatever the problem) made a dilated convolution's forward and backward (reference case L2) take 23.6 ms
     * instead of 14.7; at 4 MiB it takes 13.7-15.0 ms. The cost in memory, measured on the DeepLabv3+ step above
     * (peak resident memory, one run each): 2.86 GB at 1 MiB, 2.98 GB at 4 MiB, 3.16 GB at 8 MiB, 3.87 GB with
     * glibc's own threshold.
     *
     * @return {@code true} if the threshold was set (glibc, property not 0), {@code false} otherwise
     */
    public static boolean configure() {
        Boolean done = configured;
        if (done != null) {
            return done;
        }
        synchronized (NativeHeap.class) {
            if (configured == null) {
                long bytes = Long.getLong(MMAP_THRESHOLD_PROPERTY, DEFAULT_MMAP_THRESHOLD);
                configured = bytes > 0 && setMmapThreshold(bytes);
            }
            return configured;
        }
    }

    /**
     * glibc's {@code mallopt(M_MMAP_THRESHOLD, bytes)} (through JNA): buffers of at least {@code bytes} are mapped
     * on their own and unmapped when freed; this also stops glibc from raising the threshold by itself.
     *
     * @return {@code true} if glibc accepted it; {@code false} on other C libraries or systems
     * @throws IllegalArgumentException if {@code bytes} is not in 1..32 MiB (glibc's limit on 64-bit systems)
     */
    public static boolean setMmapThreshold(long bytes) {
        if (bytes < 1 || bytes > 32L << 20) {
            throw new IllegalArgumentException("the mmap threshold must be 1 byte to 32 MiB, got " + bytes);
        }
        try {
            com.sun.jna.NativeLibrary c = com.sun.jna.NativeLibrary.getInstance("c");
            c.getFunction("gnu_get_libc_version");
            return c.getFunction("mallopt").invokeInt(new Object[]{M_MMAP_THRESHOLD, (int) bytes}) == 1;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false;
        }
    }

    /**
     * The process's resident set size in bytes: {@code VmRSS} of {@code /proc/self/status} on Linux, else JavaCPP's
     * estimate ({@link Pointer#physicalBytes()}).
     */
    public static long residentBytes() {
        long bytes = statusBytes("VmRSS:");
        return bytes >= 0 ? bytes : Pointer.physicalBytes();
    }

    /**
     * The process's peak resident set size so far in bytes ({@code VmHWM} of {@code /proc/self/status}), or -1 where
     * the system does not report it (off Linux).
     */
    public static long peakResidentBytes() {
        return statusBytes("VmHWM:");
    }

    /** A size field of {@code /proc/self/status} ({@code "VmRSS:"}, given in kB) in bytes, or -1 if unreadable. */
    private static long statusBytes(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    String[] parts = line.substring(field.length()).strip().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return -1;
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
