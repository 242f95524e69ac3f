package io.segnet.train;

import io.segnet.train.log.MetricsLog;
import io.segnet.train.log.StepRecord;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Step records: after every {@code every}-th iteration, the mean loss and the images per second of the iterations
 * since the previous record (or since the epoch started) go to the metrics log.
 */
final class StepLog {

    private final MetricsLog log;
    private final int every;
    private final ThroughputWindow window;

    /**
     * A step log.
     *
     * @param log       where records go
     * @param every     iterations per record, {@code >= 1} (as {@link TrainerConfig#logEvery()} checks)
     * @param nanoClock the time in nanoseconds
     */
    StepLog(MetricsLog log, int every, LongSupplier nanoClock) {
        this.log = Objects.requireNonNull(log, "log");
        this.every = every;
        this.window = new ThroughputWindow(nanoClock);
    }

    /** Starts a new epoch: steps of the previous one are not carried over. */
    void epochStarted() {
        window.restart();
    }

    /**
     * Continues an epoch after a resume: the window starts with the {@code steps} steps (losses summing to
     * {@code lossSum}) that the interrupted session trained after its last record, so the next record averages the
     * same steps as the uninterrupted run's would (their images and time are not counted).
     */
    void epochResumed(int steps, double lossSum) {
        window.restart();
        window.carry(steps, lossSum);
    }

    /** Steps since the last record (or the epoch start). */
    int pendingSteps() {
        return window.steps();
    }

    /** Sum of the losses of those steps. */
    double pendingLossSum() {
        return window.lossSum();
    }

    /**
     * Counts a step and appends a record if {@code iteration} is a multiple of {@code every}.
     *
     * @param epoch        the epoch, from 1
     * @param iteration    iterations completed, this step included
     * @param images       images in the step's batch
     * @param loss         the step's loss
     * @param learningRate the step's learning rate
     */
    void stepDone(int epoch, int iteration, int images, double loss, double learningRate) {
        window.add(images, loss);
        if (iteration % every == 0) {
            log.append(new StepRecord(epoch, iteration, window.meanLoss(), learningRate,
                    window.imagesPerSecond(window.seconds())));
            window.restart();
        }
    }
}
