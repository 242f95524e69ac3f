/**
 * Files: {@link io.segnet.common.io.AtomicFiles}, the one crash-safe writer (temporary file, fsync, atomic rename,
 * directory fsync) behind every file segnet writes.
 */
package io.segnet.common.io;
