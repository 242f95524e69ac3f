/**
 * Durable training state, every file written through {@link io.segnet.common.io.AtomicFiles} (write, fsync, rename:
 * a crash never leaves a half-written file): {@link io.segnet.train.checkpoint.RunDirectory} (the layout of one
 * training run's folder and the rules for creating, overwriting and resuming it), {@link io.segnet.train.checkpoint.TrainerState}
 * (counters, best score, early-stopping count) and {@link io.segnet.train.checkpoint.Checkpoint} (a saved
 * {@code SegmentationModel} zip, written once by {@code ModelArchive}, with the trainer's state, config and the data's
 * class names inside).
 */
package io.segnet.train.checkpoint;
