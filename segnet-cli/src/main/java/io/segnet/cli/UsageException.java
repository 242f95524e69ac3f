package io.segnet.cli;

/**
 * A mistake in the command line or a settings file, found while turning them into settings: the command exits with
 * code 2 and prints the message, which says what to change.
 */
public class UsageException extends RuntimeException {

    /** An error with its message. */
    public UsageException(String message) {
        super(message);
    }

    /** An error caused by a settings record rejecting a value. */
    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
