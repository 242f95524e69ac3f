package io.segnet.inference;

/**
 * The output folder of a prediction cannot be used: it overlaps the input, holds files prediction did not write, or
 * cannot be created. The message says why and what to do; nothing has been written.
 */
public class OutputFolderException extends IllegalArgumentException {

    /** An error with its message. */
    public OutputFolderException(String message) {
        super(message);
    }

    /** An error caused by a file-system failure. */
    public OutputFolderException(String message, Throwable cause) {
        super(message, cause);
    }
}
