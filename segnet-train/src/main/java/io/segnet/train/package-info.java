/**
 * Training segnet models: {@link io.segnet.train.Trainer} runs epochs (or iterations) of optimiser steps on
 * {@link io.segnet.train.TrainingData}, validates after every epoch with the full metric report, keeps
 * {@code best.zip} by a {@link io.segnet.train.Metric}, stops early, writes a crash-safe {@code last.zip} that
 * {@link io.segnet.train.Trainer#resume} continues exactly, a metrics log, a training curve and a progress bar.
 * {@link io.segnet.train.TrainerConfig} holds every setting (optimiser {@link io.segnet.train.OptimizerType},
 * learning-rate schedule, weight decay, loss weights of auxiliary outputs, seed); {@link io.segnet.train.ConfigFiles}
 * reads settings from YAML or JSON over the defaults.
 *
 * <p>Sub-packages: {@code schedule} (learning-rate schedules), {@code checkpoint} (run folders, checkpoints) and
 * {@code log} (metrics log, curve, progress). Validation and everything else that runs a trained model (prediction,
 * evaluation, rendering) is in the {@code segnet-inference} module, {@code io.segnet.inference}.
 */
package io.segnet.train;
