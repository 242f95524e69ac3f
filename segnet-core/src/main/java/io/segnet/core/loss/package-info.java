/**
 * Loss output layers on integer label maps {@code [N, 1, H, W]} (never one-hot):
 * {@link io.segnet.core.loss.SegmentationLoss} combines softmax cross-entropy (ignore index, class weights), soft Dice
 * and binary cross-entropy with PyTorch / segmentation_models_pytorch semantics ({@link io.segnet.core.loss.LossOps}),
 * plus the losses for imbalanced data ({@link io.segnet.core.loss.ImbalanceLossOps}: focal, Tversky / soft Jaccard,
 * label-smoothed cross-entropy, Lovasz-softmax, OHEM cross-entropy), and carries an output weight for auxiliary and
 * deep-supervision heads.
 */
package io.segnet.core.loss;
