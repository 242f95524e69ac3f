package io.segnet.models;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.segnet.core.loss.SegmentationLoss;

/**
 * One extra weighted term of a {@link LossConfig} beyond its cross-entropy and Dice weights, stored in JSON under a
 * {@code type} tag: {@code {"type": "focal", "weight": 1, "gamma": 2, "alpha": 0.25}},
 * {@code {"type": "tversky", "weight": 1, "alpha": 0.3, "beta": 0.7}}, {@code {"type": "jaccard", "weight": 1}}.
 * Each term is computed on the softmax of the logits {@code [N, C, H, W]} (so it needs {@code numClasses >= 2}), with
 * the config's ignore index; class weights do not apply to these terms (segmentation_models_pytorch defines none).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(value = LossTerm.Focal.class, name = "focal"),
        @JsonSubTypes.Type(value = LossTerm.Tversky.class, name = "tversky"),
        @JsonSubTypes.Type(value = LossTerm.Jaccard.class, name = "jaccard")})
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
}
