package io.segnet.train.log;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The summary of one epoch: training loss and speed, and the validation scores (absent when the run has no
 * validation set). Scores are fractions in [0, 1]; an undefined score (NaN) is written as {@code null}.
 *
 * @param epoch             the epoch, from 1
 * @param iteration         optimiser iterations completed at its end
 * @param trainLoss         mean training loss over the epoch's iterations
 * @param learningRate      learning rate of the epoch's last iteration
 * @param trainSeconds      wall time of the epoch's training iterations
 * @param validationSeconds wall time of the validation pass (0 without validation)
 * @param imagesPerSecond   training images per second over the epoch
 * @param validation        summary scores by name ({@code pixelAccuracy}, {@code meanIoU}, ...), empty without
 *                          validation
 * @param classIoU          IoU per class name, empty without validation
 * @param monitored         the value of the metric that selects the best checkpoint, or null without validation
 * @param best              whether this epoch's checkpoint became {@code best.zip}
 */
public record EpochRecord(int epoch, long iteration, double trainLoss, double learningRate, double trainSeconds,
                          double validationSeconds, double imagesPerSecond, Map<String, Double> validation,
                          Map<String, Double> classIoU, Double monitored, boolean best) implements LogRecord {

    /** Copies the maps, keeping their order; NaN values become null. */
    public EpochRecord {
        validation = nanToNull(validation);
        classIoU = nanToNull(classIoU);
        if (monitored != null && monitored.isNaN()) {
            monitored = null;
        }
    }

    private static Map<String, Double> nanToNull(Map<String, Double> m) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (m != null) {
            m.forEach((k, v) -> out.put(k, v == null || v.isNaN() ? null : v));
        }
        return java.util.Collections.unmodifiableMap(out);
    }
}
