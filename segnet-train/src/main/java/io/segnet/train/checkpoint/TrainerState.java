package io.segnet.train.checkpoint;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where a training run stands: what a checkpoint stores besides the model (whose graph configuration carries the
 * optimiser's iteration count and whose updater state carries the optimiser's moments).
 *
 * @param epoch                     the current epoch, from 0 (equal to the epochs completed when
 *                                  {@code batchInEpoch} is 0)
 * @param batchInEpoch              batches of {@code epoch} already trained (0 at an epoch boundary)
 * @param iteration                 optimiser iterations completed
 * @param epochLossSum              sum of the batch losses of {@code epoch} so far (for its mean loss on resume)
 * @param bestValue                 best value of the monitored metric so far, or NaN before any validation
 * @param bestEpoch                 epoch (from 1) that reached {@code bestValue}, or 0
 * @param epochsWithoutImprovement  epochs since the last improvement (early stopping)
 * @param trainSeconds              wall time spent training so far, over all sessions
 * @param finished                  whether the run has ended (its length reached, or stopped early)
 * @param stepWindowSteps           steps since the last step record of the metrics log (0 at an epoch boundary;
 *                                  0 in checkpoints written before it was stored)
 * @param stepWindowLossSum         sum of those steps' losses, so that the next step record after a resume averages
 *                                  the same steps as the uninterrupted run's
 */
public record TrainerState(int epoch, int batchInEpoch, int iteration, double epochLossSum, double bestValue,
                           int bestEpoch, int epochsWithoutImprovement, double trainSeconds, boolean finished,
                           int stepWindowSteps, double stepWindowLossSum) {

    /** Checks the counters. */
    public TrainerState {
        if (epoch < 0 || batchInEpoch < 0 || iteration < 0 || bestEpoch < 0 || epochsWithoutImprovement < 0
                || trainSeconds < 0 || stepWindowSteps < 0 || stepWindowSteps > batchInEpoch) {
            throw new IllegalArgumentException("trainer state counters must be >= 0: epoch " + epoch + ", batch "
                    + batchInEpoch + ", iteration " + iteration + ", best epoch " + bestEpoch + ", epochs without"
                    + " improvement " + epochsWithoutImprovement + ", seconds " + trainSeconds + ", steps since the"
                    + " last step record " + stepWindowSteps + " (at most the batch)");
        }
    }

    /** A state with no steps since the last step record (an epoch boundary, or a log record every step). */
    public TrainerState(int epoch, int batchInEpoch, int iteration, double epochLossSum, double bestValue,
                        int bestEpoch, int epochsWithoutImprovement, double trainSeconds, boolean finished) {
        this(epoch, batchInEpoch, iteration, epochLossSum, bestValue, bestEpoch, epochsWithoutImprovement,
                trainSeconds, finished, 0, 0);
    }

    /** Reads the JSON form; a checkpoint written before the step-record window was stored has an empty one. */
    @JsonCreator
    static TrainerState fromJson(@JsonProperty("epoch") int epoch, @JsonProperty("batchInEpoch") int batchInEpoch,
                                 @JsonProperty("iteration") int iteration,
                                 @JsonProperty("epochLossSum") double epochLossSum,
                                 @JsonProperty("bestValue") double bestValue, @JsonProperty("bestEpoch") int bestEpoch,
                                 @JsonProperty("epochsWithoutImprovement") int epochsWithoutImprovement,
                                 @JsonProperty("trainSeconds") double trainSeconds,
                                 @JsonProperty("finished") boolean finished,
                                 @JsonProperty("stepWindowSteps") Integer stepWindowSteps,
                                 @JsonProperty("stepWindowLossSum") Double stepWindowLossSum) {
        return new TrainerState(epoch, batchInEpoch, iteration, epochLossSum, bestValue, bestEpoch,
                epochsWithoutImprovement, trainSeconds, finished, stepWindowSteps == null ? 0 : stepWindowSteps,
                stepWindowLossSum == null ? 0 : stepWindowLossSum);
    }

    /** The state of a run that has not started. */
    public static TrainerState start() {
        return new TrainerState(0, 0, 0, 0, Double.NaN, 0, 0, 0, false);
    }

    /** Whether a validation score has been recorded. */
    public boolean hasBest() {
        return !Double.isNaN(bestValue);
    }
}
