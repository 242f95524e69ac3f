package io.segnet.train;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Training steps since a start: how many, their summed and mean loss, and the images per second over the wall time
 * since the start. The trainer keeps one per epoch (progress bar and epoch record) and one per step record (restarted
 * after each record).
 */
final class ThroughputWindow {

    private final LongSupplier nanoClock;
    private long startNanos;
    private int steps;
    private double lossSum;
    private long images;

    /** An empty window that starts now; {@code nanoClock} gives the time in nanoseconds (e.g. System::nanoTime). */
    ThroughputWindow(LongSupplier nanoClock) {
        this(nanoClock, 0, 0);
    }

    /**
     * A window that starts now and already counts {@code steps} steps with losses summing to {@code lossSum}: the part
     * of an epoch trained before a resume (their images and time are not counted).
     */
    ThroughputWindow(LongSupplier nanoClock, int steps, double lossSum) {
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.steps = steps;
        this.lossSum = lossSum;
        this.startNanos = nanoClock.getAsLong();
    }

    /** Counts one step of {@code images} images with training loss {@code loss}. */
    void add(int images, double loss) {
        steps++;
        lossSum += loss;
        this.images += images;
    }

    /** Steps counted. */
    int steps() {
        return steps;
    }

    /** Sum of the steps' losses. */
    double lossSum() {
        return lossSum;
    }

    /** Mean loss per step; 0 before any step. */
    double meanLoss() {
        return lossSum / Math.max(1, steps);
    }

    /** Wall seconds since the start. */
    double seconds() {
        return (nanoClock.getAsLong() - startNanos) / 1e9;
    }

    /** Images counted per second over {@code seconds} (a reading of {@link #seconds()}); 0 unless it is positive. */
    double imagesPerSecond(double seconds) {
        return seconds > 0 ? images / seconds : 0;
    }

    /**
     * Adds {@code moreSteps} steps with losses summing to {@code moreLossSum} that were trained before this window
     * started (before a resume): counted in the loss, not in the images or time.
     */
    void carry(int moreSteps, double moreLossSum) {
        steps += moreSteps;
        lossSum += moreLossSum;
    }

    /** Empties the window and starts it again now. */
    void restart() {
        steps = 0;
        lossSum = 0;
        images = 0;
        startNanos = nanoClock.getAsLong();
    }
}
