/**
 * What a training run reports while it runs: {@link io.segnet.train.log.MetricsLog} (JSON lines, one
 * {@link io.segnet.train.log.StepRecord} every few iterations and one {@link io.segnet.train.log.EpochRecord} per
 * epoch with the validation metrics), {@link io.segnet.train.log.TrainingCurve} (a PNG of training loss and
 * validation scores against iterations, drawn with XChart) and {@link io.segnet.train.log.ProgressReporter} (a
 * console progress bar with images/s, loss and ETA, or plain lines when the output is not a terminal).
 */
package io.segnet.train.log;
