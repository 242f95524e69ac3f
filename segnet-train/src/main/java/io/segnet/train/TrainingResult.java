package io.segnet.train;

import io.segnet.metrics.MetricReport;
import io.segnet.models.SegmentationModel;
import io.segnet.train.checkpoint.RunDirectory;

/**
 * The outcome of {@link Trainer#train} or {@link Trainer#resume}.
 *
 * @param model            the model as training left it (the {@code last.zip} state)
 * @param run              the run folder
 * @param reason           why training ended
 * @param epochsCompleted  epochs finished, over all sessions of the run
 * @param iterations       optimiser iterations, over all sessions
 * @param bestMetric       the metric that selected {@code best.zip}
 * @param bestValue        its best value, or NaN without validation
 * @param bestEpoch        the epoch (from 1) of {@code best.zip}, or 0
 * @param lastValidation   the report of the last validation of this session, or null if none ran
 * @param trainSeconds     wall time of training and validation, over all sessions
 */
public record TrainingResult(SegmentationModel model, RunDirectory run, StopReason reason, int epochsCompleted,
                             int iterations, Metric bestMetric, double bestValue, int bestEpoch,
                             MetricReport lastValidation, double trainSeconds) {
}
