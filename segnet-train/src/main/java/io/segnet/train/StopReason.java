package io.segnet.train;

/** Why a training run ended. */
public enum StopReason {
    /** It ran all its epochs or iterations. */
    COMPLETED,
    /** The monitored metric stopped improving for {@code patience} epochs. */
    EARLY_STOPPED,
    /** It was asked to stop ({@link Trainer#requestStop()}, Ctrl-C); {@code last.zip} holds where it stopped. */
    INTERRUPTED
}
