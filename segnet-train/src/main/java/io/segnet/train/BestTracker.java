package io.segnet.train;

import io.segnet.train.checkpoint.TrainerState;

/**
 * The best validation score of a run, and early stopping. An epoch's score improves on the best when it exceeds it by
 * more than {@code minDelta} (the first defined score always does; an undefined score, NaN, never does); after
 * {@code patience} epochs in a row without improvement the run should stop ({@code patience} 0: never). An epoch
 * without validation neither improves nor counts: it restarts the count.
 */
final class BestTracker {

    private final double minDelta;
    private final int patience;
    private double value;
    private int epoch;
    private int epochsWithoutImprovement;

    /**
     * A tracker.
     *
     * @param minDelta                 how much a score must exceed the best to improve on it
     * @param patience                 epochs without improvement before stopping, 0 for never
     * @param value                    the best score so far, NaN for none
     * @param epoch                    the epoch (from 1) of the best score, 0 for none
     * @param epochsWithoutImprovement epochs since the last improvement
     */
    BestTracker(double minDelta, int patience, double value, int epoch, int epochsWithoutImprovement) {
        this.minDelta = minDelta;
        this.patience = patience;
        this.value = value;
        this.epoch = epoch;
        this.epochsWithoutImprovement = epochsWithoutImprovement;
    }

    /** The tracker of a run with {@code config}'s rules that stands at {@code state}. */
    static BestTracker resume(TrainerConfig config, TrainerState state) {
        return new BestTracker(config.minDelta(), config.patience(), state.bestValue(), state.bestEpoch(),
                state.epochsWithoutImprovement());
    }

    /**
     * Records the validation score of {@code epoch} (from 1), NaN when undefined.
     *
     * @return whether it is the new best
     */
    boolean validated(int epoch, double score) {
        boolean improved = !Double.isNaN(score) && (Double.isNaN(value) || score > value + minDelta);
        if (improved) {
            value = score;
            this.epoch = epoch;
            epochsWithoutImprovement = 0;
        } else {
            epochsWithoutImprovement++;
        }
        return improved;
    }

    /** Records an epoch without validation: nothing to compare, the count of epochs without improvement restarts. */
    void notValidated() {
        epochsWithoutImprovement = 0;
    }

    /** Whether {@code patience} epochs in a row have not improved on the best. */
    boolean shouldStop() {
        return patience > 0 && epochsWithoutImprovement >= patience;
    }

    /** The best score, NaN before any. */
    double value() {
        return value;
    }

    /** The epoch (from 1) of the best score, 0 before any. */
    int epoch() {
        return epoch;
    }

    /** Validated epochs since the last improvement. */
    int epochsWithoutImprovement() {
        return epochsWithoutImprovement;
    }
}
