package io.segnet.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.segnet.metrics.MetricReport;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The summary scores of a validation {@link MetricReport}: one of them selects the best checkpoint and drives early
 * stopping, all of them go to the metrics log ({@link #summary}) and the model card. Every one of them is a fraction
 * in [0, 1] where higher is better. Named as in the report's JSON ({@code meanIoU}, ...).
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

    /** The order of {@link #summary}: the order of the scores in the metrics logs written so far. */
    private static final List<Metric> SUMMARY_ORDER = List.of(PIXEL_ACCURACY, MEAN_PIXEL_ACCURACY, MEAN_IOU,
            FREQUENCY_WEIGHTED_IOU, MEAN_DICE, MEAN_PRECISION, MEAN_F_SCORE);

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
     * Every summary score of a report by name, in a fixed order: {@code pixelAccuracy}, {@code meanPixelAccuracy},
     * {@code meanIoU}, {@code frequencyWeightedIoU}, {@code meanDice}, {@code meanPrecision}, {@code meanFScore}.
     */
    public static Map<String, Double> summary(MetricReport report) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (Metric metric : SUMMARY_ORDER) {
            m.put(metric.key, metric.of(report));
        }
        return m;
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
