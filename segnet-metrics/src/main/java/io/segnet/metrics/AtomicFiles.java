package io.segnet.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file through a temporary file in the same directory, then puts it in place in one step, so that a reader
 * never sees a half-written file and a failed write leaves no file behind.
 *
 * <p>With {@code overwrite = false} an existing file is never replaced: the temporary file is hard-linked to the
 * target name, which the file system refuses atomically if the name exists. Where hard links are not supported the
 * temporary file is moved without replacing (Java checks, then renames). With {@code overwrite = true} the temporary
 * file is renamed over the target atomically (a plain replacing move where atomic moves are not supported).
 */
final class AtomicFiles {

    /** Writes the content of a file. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    static void write(Path target, boolean overwrite, Content content) throws IOException {
        Path file = target.toAbsolutePath();
        if (!overwrite && Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw exists(file);
        }
        Path dir = file.getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + file.getFileName() + "." + Long.toUnsignedString(
                ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
        Files.createFile(tmp);
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                content.writeTo(out);
            }
            if (overwrite) {
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } else {
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
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static FileAlreadyExistsException exists(Path file) {
        return new FileAlreadyExistsException(file.toString(), null,
                "file exists and was left as it is; pass overwrite = true to replace it, or choose another path");
    }
}
