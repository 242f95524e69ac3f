package io.segnet.train;

import io.segnet.metrics.MetricReport;
import io.segnet.train.log.EpochRecord;

/**
 * Hooks a {@link Trainer} calls on the training thread; they must be quick. All methods do nothing by default.
 */
public interface TrainingCallback {

    /** After each optimiser step: iterations completed and the batch's loss. */
    default void iterationDone(int iteration, double loss) {
    }

    /** After each epoch's validation and checkpoint: the epoch's record and validation report (null without). */
    default void epochDone(EpochRecord record, MetricReport validation) {
    }
}
