package io.segnet.core.runtime;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class NativeHeapTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void mmapThresholdOutsideGlibcsRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> NativeHeap.setMmapThreshold(0));
        assertThrows(IllegalArgumentException.class, () -> NativeHeap.setMmapThreshold(33L * MIB));
    }

    @Test
    void withTheMmapThresholdSetFreedLargeBuffersLeaveTheProcess() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux") && NativeHeap.configure(),
                "needs glibc");
        // Without the fixed threshold glibc raises its own after the first mapped buffer is freed, and later 4 MiB
        // buffers come from an arena that keeps them resident after free().
        Pointer.free(Pointer.malloc(24 * MIB));
        long before = NativeHeap.residentBytes();
        Pointer[] blocks = new Pointer[24];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = Pointer.malloc(4 * MIB);
            Pointer.memset(blocks[i], 1, 4 * MIB);
        }
        long touched = NativeHeap.residentBytes();
        for (Pointer b : blocks) {
            Pointer.free(b);
        }
        long after = NativeHeap.residentBytes();
        assertTrue(touched - before > 80 * MIB, "the blocks were resident: " + (touched - before) / MIB + " MiB");
        assertTrue(touched - after > 80 * MIB, "free() returned them: " + (touched - after) / MIB + " MiB");
    }

    @Test
    void residentMemoryIsReadFromTheProcess() {
        long rss = NativeHeap.residentBytes();
        assertTrue(rss > 10 * MIB, "a JVM uses more than 10 MiB: " + rss);
    }

    @Test
    void trimReturnsFreedBlocksInsideTheHeapToTheSystem() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux") && NativeHeap.trim(),
                "needs glibc and a JVM with System.trim_native_heap (OpenJDK 17.0.9+)");
        // 3200 blocks of 64 KiB (below glibc's mmap threshold, so they come from an arena), touched, then all freed
        // except every 16th: the free runs lie between live blocks, where free() keeps them resident.
        int blocks = 3200;
        long size = 64 * 1024;
        Pointer[] p = new Pointer[blocks];
        for (int i = 0; i < blocks; i++) {
            p[i] = Pointer.malloc(size);
            Pointer.memset(p[i], 1, size);
        }
        for (int i = 0; i < blocks; i++) {
            if (i % 16 != 15) {
                Pointer.free(p[i]);
            }
        }
        long before = NativeHeap.residentBytes();
        assertTrue(NativeHeap.trim());
        long after = NativeHeap.residentBytes();
        for (int i = 15; i < blocks; i += 16) {
            Pointer.free(p[i]);
        }
        assertTrue(before - after > 100 * MIB, "trimming should release most of the ~190 MiB freed, RSS went from "
                + before / MIB + " to " + after / MIB + " MiB");
    }

    @Test
    void trimmerTrimsAtMostOncePerInterval() {
        NativeHeap.Trimmer off = new NativeHeap.Trimmer(Duration.ZERO);
        assertFalse(off.maybeTrim());
        NativeHeap.Trimmer hourly = new NativeHeap.Trimmer(Duration.ofHours(1));
        assertFalse(hourly.maybeTrim(), "the first interval starts at construction");
        assertThrows(IllegalArgumentException.class, () -> new NativeHeap.Trimmer(Duration.ofSeconds(-1)));
    }
}
