package io.segnet.metrics;

import java.util.Objects;

/**
 * Segmentation scores derived from a {@link ConfusionMatrix}, each following a published definition.
 *
 * <p>Notation: {@code n_ij} pixels of truth {@code i} predicted as {@code j}; {@code t_i = sum_j n_ij} (ground-truth
 * pixels of class {@code i}); {@code p_i = sum_j n_ji} (pixels predicted as {@code i}); {@code TP_i = n_ii},
 * {@code FN_i = t_i - n_ii}, {@code FP_i = p_i - n_ii}. Sources: [FCN] Long, Shelhamer, Darrell, "Fully
 * Convolutional Networks for Semantic Segmentation", CVPR 2015, sec. 5; [MMSEG] mmsegmentation's {@code IoUMetric}
 * ({@code total_area_to_metrics}); [SMP] segmentation_models.pytorch's {@code metrics.functional}.
 *
 * <p>A per-class value whose denominator is 0 is {@code NaN}; every {@code mean...} function averages over the
 * classes whose value is not {@code NaN} ({@link #nanMean}, numpy's {@code nanmean} as [MMSEG] and the [FCN]
 * reference code use), and is {@code NaN} when no class has a value. So a class with neither ground-truth nor
 * predicted pixels is left out of every mean; a class predicted but absent from the truth has IoU, Dice, precision and
 * F-score 0, which count, and accuracy (recall) NaN, which does not.
 */
public final class SegmentationMetrics {

    private SegmentationMetrics() {
    }

    /**
     * Pixel accuracy {@code PA = sum_i n_ii / sum_i t_i}: [FCN] "pixel accuracy", [MMSEG] {@code aAcc}.
     *
     * @return PA in [0, 1], or NaN when no pixel was counted
     */
    public static double pixelAccuracy(ConfusionMatrix m) {
        return ratio(sum(m.truePositives()), m.countedPixels());
    }

    /**
     * Per-class accuracy {@code n_ii / t_i}, the recall (true-positive rate): [FCN] the terms of "mean accuracy",
     * [MMSEG] {@code Acc}. NaN for a class with no ground-truth pixels.
     */
    public static double[] classAccuracy(ConfusionMatrix m) {
        long[] tp = m.truePositives();
        long[] t = m.truthTotals();
        double[] out = new double[tp.length];
        for (int i = 0; i < tp.length; i++) {
            out[i] = ratio(tp[i], t[i]);
        }
        return out;
    }

    /**
     * Mean pixel accuracy {@code MPA = nanmean_i n_ii / t_i}: [FCN] "mean accuracy" (the paper writes
     * {@code (1/n_cl) sum_i}; its reference code and [MMSEG] {@code mAcc} skip classes with {@code t_i = 0}, as
     * here). It is the mean per-class recall, not the mean per-class precision that some texts call MPA.
     */
    public static double meanPixelAccuracy(ConfusionMatrix m) {
        return nanMean(classAccuracy(m));
    }

    /**
     * Per-class intersection over union {@code IoU_i = n_ii / (t_i + p_i - n_ii) = TP / (TP + FP + FN)}: [FCN] the
     * terms of "mean IU", [MMSEG] {@code IoU}. NaN for a class neither in the truth nor predicted; 0 for a class
     * predicted but absent from the truth.
     */
    public static double[] classIoU(ConfusionMatrix m) {
        long[] tp = m.truePositives();
        long[] t = m.truthTotals();
        long[] p = m.predictionTotals();
        double[] out = new double[tp.length];
        for (int i = 0; i < tp.length; i++) {
            out[i] = ratio(tp[i], t[i] + p[i] - tp[i]);
        }
        return out;
    }

    /** Mean IoU {@code MIoU = nanmean_i IoU_i}: [FCN] "mean IU", [MMSEG] {@code mIoU}. */
    public static double meanIoU(ConfusionMatrix m) {
        return nanMean(classIoU(m));
    }

    /**
     * Frequency-weighted IoU {@code FWIoU = (sum_k t_k)^-1 sum_i t_i IoU_i}: [FCN] "frequency weighted IU". A class
     * with {@code t_i = 0} has weight 0 and adds nothing, whatever its IoU (0 if predicted, NaN if not), exactly as
     * the FCN reference code's {@code (freq[freq > 0] * iu[freq > 0]).sum()}.
     *
     * @return FWIoU in [0, 1], or NaN when no pixel was counted
     */
    public static double frequencyWeightedIoU(ConfusionMatrix m) {
        long[] t = m.truthTotals();
        double[] iou = classIoU(m);
        long total = sum(t);
        if (total == 0) {
            return Double.NaN;
        }
        double weighted = 0;
        for (int i = 0; i < t.length; i++) {
            if (t[i] > 0) {
                weighted += t[i] * iou[i];
            }
        }
        return weighted / total;
    }

    /**
     * Per-class Dice coefficient {@code Dice_i = 2 n_ii / (t_i + p_i) = 2TP / (2TP + FP + FN)}: [MMSEG] {@code Dice}.
     * NaN for a class neither in the truth nor predicted.
     */
    public static double[] classDice(ConfusionMatrix m) {
        long[] tp = m.truePositives();
        long[] t = m.truthTotals();
        long[] p = m.predictionTotals();
        double[] out = new double[tp.length];
        for (int i = 0; i < tp.length; i++) {
            out[i] = ratio(2 * tp[i], t[i] + p[i]);
        }
        return out;
    }

    /** Mean Dice {@code nanmean_i Dice_i}: [MMSEG] {@code mDice}. */
    public static double meanDice(ConfusionMatrix m) {
        return nanMean(classDice(m));
    }

    /**
     * Per-class precision {@code n_ii / p_i = TP / (TP + FP)}: [MMSEG] {@code Precision}. NaN for a class never
     * predicted.
     */
    public static double[] classPrecision(ConfusionMatrix m) {
        long[] tp = m.truePositives();
        long[] p = m.predictionTotals();
        double[] out = new double[tp.length];
        for (int i = 0; i < tp.length; i++) {
            out[i] = ratio(tp[i], p[i]);
        }
        return out;
    }

    /** Mean precision {@code nanmean_i n_ii / p_i}: [MMSEG] {@code mPrecision}. */
    public static double meanPrecision(ConfusionMatrix m) {
        return nanMean(classPrecision(m));
    }

    /**
     * Per-class recall {@code n_ii / t_i = TP / (TP + FN)}: [MMSEG] {@code Recall}; the same numbers as
     * {@link #classAccuracy}.
     */
    public static double[] classRecall(ConfusionMatrix m) {
        return classAccuracy(m);
    }

    /** Mean recall {@code nanmean_i n_ii / t_i}: [MMSEG] {@code mRecall}; equal to {@link #meanPixelAccuracy}. */
    public static double meanRecall(ConfusionMatrix m) {
        return meanPixelAccuracy(m);
    }

    /**
     * Per-class F-score {@code F_beta = (1 + beta^2) TP / ((1 + beta^2) TP + beta^2 FN + FP)}, van Rijsbergen's
     * F-measure in the form [SMP] {@code fbeta_score} computes; {@code beta = 1} gives F1, equal to Dice. Wherever
     * precision and recall are both defined and not both 0 it equals [MMSEG]'s
     * {@code (1 + beta^2) P R / (beta^2 P + R)}; unlike [MMSEG], whose formula gives NaN there, it is 0 for a class
     * that is in the truth or predicted but has no true positive. NaN for a class neither in the truth nor predicted.
     *
     * @param beta weight of recall relative to precision, finite and &gt; 0 ([MMSEG] default 1)
     */
    public static double[] classFScore(ConfusionMatrix m, double beta) {
        requireBeta(beta);
        long[] tp = m.truePositives();
        long[] t = m.truthTotals();
        long[] p = m.predictionTotals();
        double b2 = beta * beta;
        double[] out = new double[tp.length];
        for (int i = 0; i < tp.length; i++) {
            double weightedTp = (1 + b2) * tp[i];
            double denominator = weightedTp + b2 * (t[i] - tp[i]) + (p[i] - tp[i]);
            out[i] = denominator == 0 ? Double.NaN : weightedTp / denominator;
        }
        return out;
    }

    /** Mean F-score {@code nanmean_i F_beta,i}: [MMSEG] {@code mFscore}, with the per-class F of {@link #classFScore}. */
    public static double meanFScore(ConfusionMatrix m, double beta) {
        return nanMean(classFScore(m, beta));
    }

    /**
     * Mean of the values that are not NaN (numpy's {@code nanmean}); NaN when every value is NaN or there are none.
     */
    public static double nanMean(double[] values) {
        Objects.requireNonNull(values, "values");
        double sum = 0;
        int n = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    static void requireBeta(double beta) {
        if (!(beta > 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("F-score beta is " + beta + "; it must be finite and > 0 (1 gives F1)");
        }
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? Double.NaN : (double) numerator / denominator;
    }

    private static long sum(long[] values) {
        long s = 0;
        for (long v : values) {
            s += v;
        }
        return s;
    }
}
