package io.segnet.models;

import io.segnet.core.loss.SegmentationLoss;

import java.util.List;

/**
 * The training loss of a model's outputs, as segnet-core's {@link SegmentationLoss} computes it:
 * {@code crossEntropyWeight * CE + diceWeight * Dice}, on integer label maps {@code [N, 1, H, W]} whose pixels equal
 * to {@code ignoreIndex} are left out. A model with {@code numClasses = 1} uses binary cross-entropy on its one logit
 * channel instead of the softmax cross-entropy (labels 0/1), weighted by {@code crossEntropyWeight}.
 *
 * @param crossEntropyWeight weight of the (binary) cross-entropy term, {@code >= 0}; default 1
 * @param diceWeight         weight of the soft Dice term, {@code >= 0}; default 0
 * @param classWeights       per-class cross-entropy weights (one per class), or empty for none (the default)
 * @param ignoreIndex        label value that contributes no loss; default 255
 */
public record LossConfig(double crossEntropyWeight, double diceWeight, List<Double> classWeights, int ignoreIndex) {

    public LossConfig {
        if (!(crossEntropyWeight >= 0) || !(diceWeight >= 0) || Double.isInfinite(crossEntropyWeight)
                || Double.isInfinite(diceWeight) || crossEntropyWeight + diceWeight == 0) {
            throw new IllegalArgumentException("LossConfig: crossEntropyWeight and diceWeight must be finite and >= 0,"
                    + " and not both 0; got " + crossEntropyWeight + " and " + diceWeight);
        }
        classWeights = classWeights == null ? List.of() : List.copyOf(classWeights);
        for (int i = 0; i < classWeights.size(); i++) {
            double w = classWeights.get(i);
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("LossConfig: classWeights[" + i + "] must be finite and >= 0, got "
                        + w);
            }
        }
        if (ignoreIndex < 0) {
            throw new IllegalArgumentException("LossConfig: ignoreIndex must be >= 0 (255 by convention), got "
                    + ignoreIndex);
        }
    }

    /** Softmax cross-entropy alone, no class weights, ignore 255. */
    public static LossConfig crossEntropy() {
        return new LossConfig(1, 0, List.of(), 255);
    }

    /** Cross-entropy plus Dice with the given weights, ignore 255. */
    public static LossConfig crossEntropyDice(double crossEntropyWeight, double diceWeight) {
        return new LossConfig(crossEntropyWeight, diceWeight, List.of(), 255);
    }

    /** This loss with per-class cross-entropy weights. */
    public LossConfig withClassWeights(List<Double> weights) {
        return new LossConfig(crossEntropyWeight, diceWeight, weights, ignoreIndex);
    }

    /**
     * The output layer for a head with {@code numClasses} logit channels whose loss counts {@code outputWeight} times
     * (1 for the main output, 0.4 for PSPNet's auxiliary head).
     */
    public SegmentationLoss layer(int numClasses, double outputWeight) {
        SegmentationLoss loss = numClasses == 1
                ? SegmentationLoss.binaryCrossEntropy().terms(0, 0, crossEntropyWeight)
                : SegmentationLoss.crossEntropy().terms(crossEntropyWeight, diceWeight, 0);
        loss.numClasses(numClasses).ignoreIndex(ignoreIndex).outputWeight(outputWeight);
        if (!classWeights.isEmpty()) {
            loss.classWeights(classWeights.stream().mapToDouble(Double::doubleValue).toArray());
        }
        return loss;
    }
}
