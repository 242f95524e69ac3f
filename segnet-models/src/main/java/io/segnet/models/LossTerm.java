package io.segnet.models;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.segnet.core.loss.SegmentationLoss;

/**
 * One extra weighted term of a {@link LossConfig} beyond its cross-entropy and Dice weights, stored in JSON under a
 * {@code type} tag: {@code {"type": "focal", "weight": 1, "gamma": 2, "alpha": 0.25}},
 * {@code {"type": "tversky", "weight": 1, "alpha": 0.3, "beta": 0.7}}, {@code {"type": "jaccard", "weight": 1}},
 * {@code {"type": "lovasz", "weight": 1, "perImage": false}},
 * {@code {"type": "ohem", "weight": 1, "thresh": 0.7, "minKept": 100000}}.
 * Each term is computed on the softmax of the logits {@code [N, C, H, W]} (so it needs {@code numClasses >= 2}), with
 * the config's ignore index. The config's class weights apply to the Lovasz and OHEM terms (as mmsegmentation defines
 * them), not to focal, Tversky and Jaccard (segmentation_models_pytorch defines none).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(value = LossTerm.Focal.class, name = "focal"),
        @JsonSubTypes.Type(value = LossTerm.Tversky.class, name = "tversky"),
        @JsonSubTypes.Type(value = LossTerm.Jaccard.class, name = "jaccard"),
        @JsonSubTypes.Type(value = LossTerm.Lovasz.class, name = "lovasz"),
        @JsonSubTypes.Type(value = LossTerm.Ohem.class, name = "ohem")})
public sealed interface LossTerm {

    /** The weight of this term in the sum, {@code > 0}. */
    double weight();

    /** Adds this term to a loss layer. */
    void addTo(SegmentationLoss loss);

    private static void positive(String what, double weight) {
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("LossTerm " + what + ": weight must be finite and > 0, got " + weight);
        }
    }

    /**
     * segmentation_models_pytorch's multi-class {@code FocalLoss} (io.segnet.core.loss.ImbalanceLossOps#focal).
     *
     * @param weight weight in the sum
     * @param gamma  focusing parameter {@code >= 0} (smp's default 2)
     * @param alpha  positive-class balance in [0, 1), or null for none (smp's default)
     */
    record Focal(double weight, double gamma, Double alpha) implements LossTerm {
        public Focal {
            positive("focal", weight);
            if (!(gamma >= 0) || Double.isInfinite(gamma) || alpha != null && !(alpha >= 0 && alpha < 1)) {
                throw new IllegalArgumentException("LossTerm focal: gamma must be finite and >= 0 (smp uses 2) and alpha"
                        + " in [0, 1) or null; got gamma " + gamma + ", alpha " + alpha);
            }
        }

        @Override
        public void addTo(SegmentationLoss loss) {
            loss.focal(weight, gamma, alpha == null ? -1 : alpha);
        }
    }

    /**
     * segmentation_models_pytorch's multi-class {@code TverskyLoss}: alpha weights false positives, beta false
     * negatives; alpha = beta = 0.5 is the Dice loss, alpha = beta = 1 the soft Jaccard loss.
     */
    record Tversky(double weight, double alpha, double beta) implements LossTerm {
        public Tversky {
            positive("tversky", weight);
            if (!(alpha >= 0) || !(beta >= 0) || alpha + beta == 0 || Double.isInfinite(alpha + beta)) {
                throw new IllegalArgumentException("LossTerm tversky: alpha and beta must be finite, >= 0 and not both"
                        + " 0 (e.g. 0.3 and 0.7 to penalise false negatives more); got " + alpha + ", " + beta);
            }
        }

        @Override
        public void addTo(SegmentationLoss loss) {
            loss.tversky(weight, alpha, beta);
        }
    }

    /** segmentation_models_pytorch's multi-class soft {@code JaccardLoss} (Tversky with alpha = beta = 1). */
    record Jaccard(double weight) implements LossTerm {
        public Jaccard {
            positive("jaccard", weight);
        }

        @Override
        public void addTo(SegmentationLoss loss) {
            loss.tversky(weight, 1, 1);
        }
    }

    /**
     * The Lovasz-softmax loss (Berman et al. 2018, io.segnet.core.loss.ImbalanceLossOps#lovaszSoftmax) over the
     * classes present, weighted by the config's class weights.
     *
     * @param weight   weight in the sum
     * @param perImage the loss of each image, then the mean (the reference's {@code per_image}); default false
     */
    record Lovasz(double weight, boolean perImage) implements LossTerm {
        public Lovasz {
            positive("lovasz", weight);
        }

        @Override
        public void addTo(SegmentationLoss loss) {
            loss.lovasz(weight, perImage);
        }
    }

    /**
     * mmsegmentation's OHEM cross-entropy (io.segnet.core.loss.ImbalanceLossOps#ohemCrossEntropy): the pixels whose
     * true-class probability is below {@code thresh}, at least {@code minKept} per image, weighted by the config's
     * class weights.
     *
     * @param weight  weight in the sum
     * @param thresh  probability threshold in (0, 1] (mmsegmentation's configs use 0.7)
     * @param minKept pixels kept at least per image, {@code >= 0} (mmsegmentation's default 100000)
     */
    record Ohem(double weight, double thresh, int minKept) implements LossTerm {
        public Ohem {
            positive("ohem", weight);
            if (!(thresh > 0 && thresh <= 1) || minKept < 0) {
                throw new IllegalArgumentException("LossTerm ohem: thresh must be in (0, 1] (0.7 is usual) and minKept"
                        + " >= 0 (pixels kept at least per image); got thresh " + thresh + ", minKept " + minKept);
            }
        }

        @Override
        public void addTo(SegmentationLoss loss) {
            loss.ohem(weight, thresh, minKept);
        }
    }
}
