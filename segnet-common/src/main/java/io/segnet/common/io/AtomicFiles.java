package io.segnet.common.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Crash-safe file writes, the one way segnet writes a file: the content goes to a temporary file in the target's
 * directory, is flushed to the disk ({@code fsync}), and only then put in place in one atomic step, after which the
 * directory entry is flushed as well. A crash or an exception at any point leaves the target either as it was or
 * complete, never half-written; a reader never sees a partial file. A failed write deletes its temporary file.
 *
 * <p>Putting in place: with {@code overwrite = true} the temporary file is renamed over the target atomically (a plain
 * replacing move where atomic moves are not supported). With {@code overwrite = false} an existing file is never
 * replaced, not even one that appears while the content is written: the temporary file is hard-linked to the target
 * name, which the file system refuses atomically if the name exists (where hard links are not supported it is moved
 * without replacing: Java checks, then renames).
 *
 * <p>Temporary files are named {@code .<target name>.<random>.tmp}; a crash between writing and putting in place can
 * leave one behind, which {@link #deleteStaleTemporaries(Path)} removes.
 */
public final class AtomicFiles {

    /** Writes the content of a file to a stream (which the caller closes). */
    @FunctionalInterface
    public interface Content {
        /** Writes everything to {@code out}. */
        void writeTo(OutputStream out) throws IOException;
    }

    /** Runs between the complete, flushed temporary file and putting it in place (tests simulate a crash there). */
    @FunctionalInterface
    public interface BeforeRename {
        /** Called with the temporary file, which holds the complete new content. */
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

    /**
     * {@link #write(Path, boolean, Content)} with {@code beforeRename} run on the complete temporary file just before
     * it is put in place; if it throws, the target is left unchanged and the temporary file is deleted.
     */
    public static void write(Path target, boolean overwrite, Content content, BeforeRename beforeRename)
            throws IOException {
        Path file = target.toAbsolutePath().normalize();
        if (!overwrite && Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw exists(file);
        }
        Path dir = file.getParent();
        Files.createDirectories(dir);
        Path tmp = temporaryFor(file);
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            beforeRename.run(tmp);
            if (overwrite) {
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } else {
                placeWithoutReplacing(tmp, file);
            }
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes text (UTF-8) atomically, as {@link #write(Path, boolean, Content)}. */
    public static void writeString(Path target, boolean overwrite, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(target, overwrite, out -> out.write(bytes));
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
                if (name.startsWith(".") && name.endsWith(SUFFIX) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.delete(p);
                    n++;
                }
            }
        }
        return n;
    }

    private static Path temporaryFor(Path file) {
        return file.resolveSibling("." + file.getFileName() + "."
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + SUFFIX);
    }

    /** Hard link (refused atomically if the name exists), else a non-replacing move; the caller deletes {@code tmp}. */
    private static void placeWithoutReplacing(Path tmp, Path file) throws IOException {
        try {
            Files.createLink(file, tmp);
        } catch (FileAlreadyExistsException e) {
            throw exists(file);
        } catch (UnsupportedOperationException | FileSystemException e) {
            try {
                Files.move(tmp, file);
            } catch (FileAlreadyExistsException e2) {
                throw exists(file);
            }
        }
    }

    private static FileAlreadyExistsException exists(Path file) {
        return new FileAlreadyExistsException(file.toString(), null,
                "file exists and was left as it is; pass overwrite = true to replace it, or choose another path");
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
