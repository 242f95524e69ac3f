/**
 * Inference on images of any size: {@link io.segnet.train.predict.Predictor} runs a network over overlapping tiles
 * (sliding window) and averages the logits with a weight map, adds flip and multi-scale test-time augmentation, and
 * returns class maps; {@link io.segnet.train.predict.PredictorConfig} holds those choices;
 * {@link io.segnet.train.predict.FolderPrediction} predicts a folder of images and writes index, colour and overlay
 * PNGs. Tensors are NCHW: images {@code [N, C, H, W]}, logits {@code [N, K, H, W]}.
 */
package io.segnet.train.predict;
