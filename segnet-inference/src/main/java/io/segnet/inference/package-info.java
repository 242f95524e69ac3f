/**
 * Running trained models on images of any size: {@link io.segnet.inference.Predictor} runs a network over
 * overlapping tiles (sliding window) and averages the logits with a weight map, adds flip and multi-scale test-time
 * augmentation, and returns class maps; {@link io.segnet.inference.PredictorConfig} holds those choices;
 * {@link io.segnet.inference.Preprocessing} is the normalisation a model was trained with, which prediction repeats;
 * {@link io.segnet.inference.FolderPrediction} predicts a folder of images and writes index, colour and overlay
 * PNGs, into sub-folders that {@link io.segnet.inference.OutputFolder} checks and marks so that it never writes among
 * the inputs or replaces a file it did not write; {@link io.segnet.inference.Evaluation} scores predictions against masks (as at inference time, or in whole
 * padded batches as the trainer validates). Tensors are NCHW: images {@code [N, C, H, W]}, logits
 * {@code [N, K, H, W]}.
 *
 * <p>Sub-package {@code render}: palettes, mask PNGs and overlays.
 */
package io.segnet.inference;
