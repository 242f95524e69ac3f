package io.segnet.models.io;

import java.nio.file.Path;

/**
 * A model or checkpoint file that cannot be read as a zip, or whose entries do not match their checksums: truncated
 * (a copy or download cut short), damaged, or not a model file at all. The message names the file; callers that know
 * of another checkpoint (a run's {@code best.zip} and {@code last.zip}) add it as the fix.
 */
public final class CorruptModelFileException extends IllegalArgumentException {

    private final transient Path file;

    /**
     * An exception for {@code file}.
     *
     * @param message the whole message, naming the file
     */
    public CorruptModelFileException(Path file, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    /** "{@code file} is corrupt or truncated, or not a segnet model file ({@code detail})". */
    public static CorruptModelFileException of(Path file, String detail, Throwable cause) {
        return new CorruptModelFileException(file, file + " is corrupt or truncated, or not a segnet model file ("
                + detail + ")", cause);
    }

    /** The file. */
    public Path file() {
        return file;
    }
}
