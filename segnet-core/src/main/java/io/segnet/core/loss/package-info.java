/**
 * Loss output layers on integer label maps {@code [N, 1, H, W]} (never one-hot):
 * {@link io.segnet.core.loss.SegmentationLoss} combines softmax cross-entropy (ignore index, class weights), soft Dice
 * and binary cross-entropy with PyTorch / segmentation_models_pytorch semantics ({@link io.segnet.core.loss.LossOps}),
 * and carries an output weight for auxiliary and deep-supervision heads.
 */
package io.segnet.core.loss;
