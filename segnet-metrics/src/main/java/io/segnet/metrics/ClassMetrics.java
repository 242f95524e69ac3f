package io.segnet.metrics;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.Objects;

/**
 * The scores of one class: one row of a {@link MetricReport}. Scores are fractions in [0, 1], or NaN when undefined
 * (0/0; written as JSON {@code null}, see {@link NanAsNull}). The formulas are those of {@link SegmentationMetrics};
 * under {@link Reduction#IMAGEWISE} each score is the mean over images of that image's score.
 *
 * @param name the class's name
 * @param iou intersection over union {@code TP / (TP + FP + FN)} (mmsegmentation {@code IoU})
 * @param accuracy class accuracy {@code TP / t} = recall (FCN "accuracy", mmsegmentation {@code Acc} and
 *     {@code Recall})
 * @param precision {@code TP / p} (mmsegmentation {@code Precision})
 * @param dice {@code 2 TP / (t + p)} (mmsegmentation {@code Dice})
 * @param fScore {@code (1 + b^2) TP / ((1 + b^2) TP + b^2 FN + FP)} with the report's beta
 * @param truthPixels {@code t}: ground-truth pixels of this class over the whole data set
 * @param predictedPixels {@code p}: pixels predicted as this class over the whole data set (not counting ignored
 *     pixels)
 */
public record ClassMetrics(
        String name,
        @JsonSerialize(using = NanAsNull.Serializer.class) @JsonDeserialize(using = NanAsNull.Deserializer.class)
        double iou,
        @JsonSerialize(using = NanAsNull.Serializer.class) @JsonDeserialize(using = NanAsNull.Deserializer.class)
        double accuracy,
        @JsonSerialize(using = NanAsNull.Serializer.class) @JsonDeserialize(using = NanAsNull.Deserializer.class)
        double precision,
        @JsonSerialize(using = NanAsNull.Serializer.class) @JsonDeserialize(using = NanAsNull.Deserializer.class)
        double dice,
        @JsonSerialize(using = NanAsNull.Serializer.class) @JsonDeserialize(using = NanAsNull.Deserializer.class)
        double fScore,
        long truthPixels,
        long predictedPixels) {

    /** Validates: a non-blank name, scores in [0, 1] or NaN, non-negative pixel counts. */
    public ClassMetrics {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("class name is blank; give every class a name");
        }
        requireScore(name, "iou", iou);
        requireScore(name, "accuracy", accuracy);
        requireScore(name, "precision", precision);
        requireScore(name, "dice", dice);
        requireScore(name, "fScore", fScore);
        if (truthPixels < 0 || predictedPixels < 0) {
            throw new IllegalArgumentException("class '" + name + "' has truthPixels " + truthPixels
                    + " and predictedPixels " + predictedPixels + "; pixel counts cannot be negative");
        }
    }

    /** Recall {@code TP / t}: the same value as {@link #accuracy()}. */
    public double recall() {
        return accuracy;
    }

    /** Scores are fractions; averaging may overshoot 1 by a rounding error, which this tolerance allows. */
    private static final double ROUNDING = 1e-12;

    static void requireScore(String owner, String what, double value) {
        if (!Double.isNaN(value) && !(value >= 0 && value <= 1 + ROUNDING)) {
            throw new IllegalArgumentException(owner + ": " + what + " is " + value
                    + "; a score is a fraction in [0, 1], or NaN when undefined");
        }
    }
}
