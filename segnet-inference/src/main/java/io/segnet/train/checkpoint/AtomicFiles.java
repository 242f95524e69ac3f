package io.segnet.train.checkpoint;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Crash-safe file writes: the content goes to a temporary file in the target's directory, is flushed to the disk
 * ({@code fsync}), and only then renamed over the target in one atomic step, after which the directory entry is
 * flushed as well. A crash or an exception at any point leaves the target either as it was or complete, never
 * half-written; a reader never sees a partial file.
 *
 * <p>Temporary files are named {@code .<target name>.<random>.tmp}; a crash between writing and renaming can leave
 * one behind, which {@link #deleteStaleTemporaries(Path)} removes.
 */
public final class AtomicFiles {

    /** Writes the content of a file to a stream (which the caller closes). */
    @FunctionalInterface
    public interface Content {
        /** Writes everything to {@code out}. */
        void writeTo(OutputStream out) throws IOException;
    }

    /** Called between the flushed temporary file and the rename; tests use it to simulate a crash there. */
    @FunctionalInterface
    interface BeforeRename {
        void run(Path temporary) throws IOException;
    }

    private static final String SUFFIX = ".tmp";

    private AtomicFiles() {
    }

    /**
     * Writes {@code target} atomically; creates its parent directories.
     *
     * @param target    the file to write
     * @param overwrite whether an existing {@code target} may be replaced
     * @param content   writes the bytes
     * @throws FileAlreadyExistsException if {@code target} exists and {@code overwrite} is false (nothing is written)
     * @throws IOException                if writing fails; {@code target} is then unchanged
     */
    public static void write(Path target, boolean overwrite, Content content) throws IOException {
        write(target, overwrite, content, t -> { });
    }

    static void write(Path target, boolean overwrite, Content content, BeforeRename beforeRename) throws IOException {
        Path file = target.toAbsolutePath().normalize();
        if (!overwrite && Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString(), null,
                    "exists and was left as it is; choose another path or allow overwriting");
        }
        Path dir = file.getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + file.getFileName() + "." + Long.toUnsignedString(
                ThreadLocalRandom.current().nextLong(), 36) + SUFFIX);
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            beforeRename.run(tmp);
            if (!overwrite && Files.exists(file)) {
                throw new FileAlreadyExistsException(file.toString(), null,
                        "appeared while it was being written and was left as it is");
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            syncDirectory(dir);
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** Writes text (UTF-8) atomically. */
    public static void writeString(Path target, boolean overwrite, String text) throws IOException {
        write(target, overwrite, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /**
     * Deletes temporary files that an interrupted write left in {@code dir} (names {@code .<name>.<random>.tmp}).
     *
     * @return how many were deleted
     */
    public static int deleteStaleTemporaries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int n = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") && name.endsWith(SUFFIX) && Files.isRegularFile(p)) {
                    Files.delete(p);
                    n++;
                }
            }
        }
        return n;
    }

    /** Flushes a directory's entries (the rename) to the disk; a no-op where directories cannot be opened. */
    static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some platforms (Windows) cannot open a directory; the rename itself is still atomic there.
        }
    }
}
