/**
 * Segmentation metrics: a streaming {@link io.segnet.metrics.ConfusionMatrix} and the scores derived from it.
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li>{@code n_ij} is the number of pixels of ground-truth class {@code i} predicted as class {@code j}: rows are
 *       the truth, columns the prediction (the FCN paper's notation, torchvision's and mmsegmentation's layout).</li>
 *   <li>{@code t_i = sum_j n_ij} is the number of ground-truth pixels of class {@code i}; {@code p_i = sum_j n_ji}
 *       the number of pixels predicted as {@code i}; {@code TP_i = n_ii}, {@code FN_i = t_i - n_ii},
 *       {@code FP_i = p_i - n_ii}.</li>
 *   <li>Pixels whose ground truth equals the ignore value (default 255) are left out entirely, their prediction
 *       included, as mmsegmentation's {@code intersect_and_union} does.</li>
 *   <li>A per-class score whose denominator is zero is {@code NaN}, and every mean over classes skips {@code NaN}
 *       (numpy's {@code nanmean}, as in mmsegmentation's {@code IoUMetric} and the FCN reference code
 *       {@code score.py}). So a class with neither ground-truth nor predicted pixels is left out of every mean, while
 *       a class that is predicted but absent from the truth has IoU 0 and counts in the mean IoU.</li>
 * </ul>
 *
 * <h2>Definitions followed</h2>
 * The formulas are those of Long, Shelhamer and Darrell, <i>Fully Convolutional Networks for Semantic
 * Segmentation</i>, CVPR 2015, section 5, and of mmsegmentation's {@code IoUMetric} (names in brackets):
 * <ul>
 *   <li>pixel accuracy PA = sum_i n_ii / sum_i t_i [aAcc]</li>
 *   <li>class accuracy = n_ii / t_i, which is the recall [Acc]; mean pixel accuracy MPA = nanmean_i n_ii / t_i
 *       (the FCN paper's "mean accuracy") [mAcc]. Some texts call the mean of the per-class <i>precision</i>
 *       "MPA"; segnet does not: MPA here is the FCN paper's and mmsegmentation's mean of per-class recall.</li>
 *   <li>IoU_i = n_ii / (t_i + p_i - n_ii); mean IoU = nanmean_i IoU_i [IoU, mIoU]</li>
 *   <li>frequency-weighted IoU = (sum_k t_k)^-1 sum_i t_i IoU_i, where a class with t_i = 0 has weight 0 and
 *       contributes nothing (even when its IoU is NaN), as in the FCN reference code.</li>
 *   <li>Dice_i = 2 n_ii / (t_i + p_i) [Dice, mDice]</li>
 *   <li>precision_i = n_ii / p_i, recall_i = n_ii / t_i [Precision, Recall]</li>
 *   <li>F-score F_beta,i = (1 + beta^2) TP / ((1 + beta^2) TP + beta^2 FN + FP), van Rijsbergen's F-measure as
 *       segmentation_models.pytorch computes it; it equals mmsegmentation's {@code (1+b^2) P R / (b^2 P + R)} wherever
 *       both are defined, but is 0 (where mmsegmentation's formula gives NaN) for a class that is in the truth or
 *       predicted but has no true positive.</li>
 * </ul>
 *
 * <h2>Reductions</h2>
 * {@link io.segnet.metrics.Reduction#DATASET} (the default) sums the confusion matrix over the whole data set and
 * then derives every score (mmsegmentation, torchvision, the FCN paper). {@link io.segnet.metrics.Reduction#IMAGEWISE}
 * scores each image first and averages the scores (segmentation_models.pytorch's {@code macro-imagewise}).
 *
 * <h2>Entry points</h2>
 * {@link io.segnet.metrics.SegmentationEvaluator} accumulates predictions against labels under a
 * {@link io.segnet.metrics.MetricConfig} and produces a {@link io.segnet.metrics.MetricReport} (JSON, Markdown or
 * console table, PNG heat map). {@link io.segnet.metrics.SegmentationMetrics} holds the metric functions on a
 * {@link io.segnet.metrics.ConfusionMatrix}. {@link io.segnet.metrics.BoundaryEvaluator} scores how well predictions
 * follow label boundaries (boundary F1 and the mean IoU in a band around the true boundaries), which region scores
 * hardly see.
 */
package io.segnet.metrics;
