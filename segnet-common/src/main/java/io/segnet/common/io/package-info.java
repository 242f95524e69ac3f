/**
 * Files: {@link io.segnet.common.io.AtomicFiles}, the one crash-safe writer (temporary file, fsync, atomic rename,
 * directory fsync) behind every file segnet writes, and {@link io.segnet.common.io.PngFiles}, PNGs through it, encoded in
 * memory (no temporary files, no shutdown hooks, so they can be written while the JVM shuts down).
 */
package io.segnet.common.io;
