package io.segnet.models;

import java.util.List;

/**
 * Validation helpers for config records: each throws {@link IllegalArgumentException} with a message that names the
 * record, the field, the value and what to set instead.
 */
public final class ConfigChecks {
    private ConfigChecks() {
    }

    /** Requires {@code value >= 1}. */
    public static void positive(String record, String field, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(record + ": " + field + " must be at least 1, got " + value);
        }
    }

    /** Requires {@code value} to be one of {@code allowed}. */
    public static void oneOf(String record, String field, int value, List<Integer> allowed) {
        if (!allowed.contains(value)) {
            throw new IllegalArgumentException(record + ": " + field + " must be one of " + allowed + ", got " + value);
        }
    }

    /**
     * A segmentation head's kernel: 1 (a 1x1 classifier) or 3 (segmentation_models_pytorch's {@code SegmentationHead});
     * 0, a field missing from older JSON, reads as 1.
     */
    public static int headKernel(String record, int kernel) {
        if (kernel == 0) {
            return 1;
        }
        oneOf(record, "headKernel", kernel, List.of(1, 3));
        return kernel;
    }

    /** Requires a non-null value. */
    public static <T> T required(String record, String field, T value, String hint) {
        if (value == null) {
            throw new IllegalArgumentException(record + ": " + field + " is missing; " + hint);
        }
        return value;
    }

    /** Requires every element to be at least 1 and returns an immutable copy ({@code null} becomes empty). */
    public static List<Integer> positives(String record, String field, List<Integer> values) {
        if (values == null) {
            return List.of();
        }
        for (int i = 0; i < values.size(); i++) {
            Integer v = values.get(i);
            if (v == null || v < 1) {
                throw new IllegalArgumentException(record + ": " + field + "[" + i + "] must be at least 1, got " + v
                        + " (in " + values + ")");
            }
        }
        return List.copyOf(values);
    }

    /**
     * Checks the five fields every architecture config has ({@link ModelConfig}): {@code inChannels} and
     * {@code numClasses} at least 1, the build size accepted by the architecture's {@code sizeRule}, and the loss
     * fitting the classes ({@link #loss}). Called last in a config's constructor.
     *
     * @return the loss, cross-entropy if {@code loss} is null
     */
    public static LossConfig modelFields(String record, int inChannels, int numClasses, int inputHeight,
                                         int inputWidth, LossConfig loss, InputSizeRule sizeRule) {
        positive(record, "inChannels", inChannels);
        positive(record, "numClasses", numClasses);
        LossConfig l = loss(record, loss, numClasses);
        sizeRule.check(record, inputHeight, inputWidth);
        return l;
    }

    /** Requires the loss's class weights, if any, to have one entry per class. */
    public static LossConfig loss(String record, LossConfig loss, int numClasses) {
        LossConfig l = loss == null ? LossConfig.crossEntropy() : loss;
        if (!l.classWeights().isEmpty() && l.classWeights().size() != numClasses) {
            throw new IllegalArgumentException(record + ": loss.classWeights has " + l.classWeights().size()
                    + " entries but numClasses is " + numClasses + "; give one weight per class or none");
        }
        if (numClasses == 1 && (!l.terms().isEmpty() || l.labelSmoothing() > 0)) {
            throw new IllegalArgumentException(record + ": with numClasses = 1 the loss is binary cross-entropy on one"
                    + " logit channel; loss.terms and loss.labelSmoothing need a softmax output, use numClasses = 2");
        }
        if (numClasses == 1 && l.diceWeight() > 0) {
            throw new IllegalArgumentException(record + ": with numClasses = 1 the loss is binary cross-entropy on one"
                    + " logit channel; set loss.diceWeight to 0 or use numClasses = 2 for a softmax with Dice");
        }
        return l;
    }
}
