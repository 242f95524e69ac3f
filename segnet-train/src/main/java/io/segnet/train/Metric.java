package io.segnet.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.segnet.metrics.MetricReport;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * A summary score of a validation {@link MetricReport} that selects the best checkpoint and drives early stopping.
 * Every one of them is a fraction in [0, 1] where higher is better. Named as in the report's JSON
 * ({@code meanIoU}, ...).
 */
public enum Metric {
    /** Mean IoU over classes (mmsegmentation {@code mIoU}); the default. */
    MEAN_IOU("meanIoU", MetricReport::meanIoU),
    /** Pixel accuracy (mmsegmentation {@code aAcc}). */
    PIXEL_ACCURACY("pixelAccuracy", MetricReport::pixelAccuracy),
    /** Mean class accuracy (mmsegmentation {@code mAcc}). */
    MEAN_PIXEL_ACCURACY("meanPixelAccuracy", MetricReport::meanPixelAccuracy),
    /** Frequency-weighted IoU. */
    FREQUENCY_WEIGHTED_IOU("frequencyWeightedIoU", MetricReport::frequencyWeightedIoU),
    /** Mean Dice over classes (mmsegmentation {@code mDice}). */
    MEAN_DICE("meanDice", MetricReport::meanDice),
    /** Mean F-score over classes. */
    MEAN_F_SCORE("meanFScore", MetricReport::meanFScore),
    /** Mean precision over classes. */
    MEAN_PRECISION("meanPrecision", MetricReport::meanPrecision);

    private final String key;
    private final ToDoubleFunction<MetricReport> value;

    Metric(String key, ToDoubleFunction<MetricReport> value) {
        this.key = key;
        this.value = value;
    }

    /** The name in configs and logs, e.g. {@code meanIoU}. */
    @JsonValue
    public String key() {
        return key;
    }

    /** This score of a report (NaN when undefined). */
    public double of(MetricReport report) {
        return value.applyAsDouble(report);
    }

    /**
     * The metric named {@code name} ({@code meanIoU} or {@code MEAN_IOU}, any case).
     *
     * @throws IllegalArgumentException listing the names for an unknown one
     */
    @JsonCreator
    public static Metric parse(String name) {
        String n = name.strip();
        for (Metric m : values()) {
            if (m.key.equalsIgnoreCase(n) || m.name().equalsIgnoreCase(n)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown metric '" + name + "'; use one of "
                + Arrays.stream(values()).map(Metric::key).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return key;
    }
}
