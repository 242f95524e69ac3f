package io.segnet.models;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
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
 * @param classWeights       per-class weights (one per class) of the cross-entropy and of the Lovasz and OHEM terms, or
 *                           empty for none (the default)
 * <p>Losses for imbalanced data add to that sum: {@code labelSmoothing} makes the cross-entropy PyTorch's
 * label-smoothed one, and {@code terms} lists further weighted terms under JSON type tags ({@link LossTerm}: focal,
 * Tversky, soft Jaccard, Lovasz-softmax, OHEM cross-entropy), e.g.
 * {@code {"crossEntropyWeight": 1, "diceWeight": 0, "classWeights": [], "ignoreIndex": 255, "labelSmoothing": 0.1,
 * "terms": [{"type": "focal", "weight": 1, "gamma": 2, "alpha": null}]}}. JSON written before these two fields
 * existed still loads (absent means 0 and none).
 *
 * @param ignoreIndex        label value that contributes no loss; default 255
 * @param labelSmoothing     label smoothing of the cross-entropy in [0, 1); default 0
 * @param terms              extra weighted terms (multi-class outputs only); default none
 */
public record LossConfig(double crossEntropyWeight, double diceWeight, List<Double> classWeights, int ignoreIndex,
                         double labelSmoothing, List<LossTerm> terms) {

    /** Checks every field. */
    public LossConfig {
        terms = terms == null ? List.of() : List.copyOf(terms);
        if (!(crossEntropyWeight >= 0) || !(diceWeight >= 0) || Double.isInfinite(crossEntropyWeight)
                || Double.isInfinite(diceWeight) || crossEntropyWeight + diceWeight == 0 && terms.isEmpty()) {
            throw new IllegalArgumentException("LossConfig: crossEntropyWeight and diceWeight must be finite and >= 0,"
                    + " and not both 0 unless terms are given; got " + crossEntropyWeight + " and " + diceWeight);
        }
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new IllegalArgumentException("LossConfig: labelSmoothing must be in [0, 1) (0.1 is common), got "
                    + labelSmoothing);
        }
        if (terms.stream().filter(t -> t instanceof LossTerm.Focal).count() > 1
                || terms.stream().filter(t -> t instanceof LossTerm.Tversky || t instanceof LossTerm.Jaccard).count() > 1
                || terms.stream().filter(t -> t instanceof LossTerm.Lovasz).count() > 1
                || terms.stream().filter(t -> t instanceof LossTerm.Ohem).count() > 1) {
            throw new IllegalArgumentException("LossConfig: terms may hold at most one focal term, one Tversky or"
                    + " Jaccard term, one Lovasz and one OHEM term (raise a term's weight instead of repeating it); got "
                    + terms);
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

    /**
     * The loss section of a settings file: fields left out take their defaults (crossEntropyWeight 1, diceWeight 0,
     * no class weights, ignoreIndex 255, labelSmoothing 0, no terms), so {@code loss: {diceWeight: 1}} is
     * cross-entropy plus Dice.
     */
    @JsonCreator
    static LossConfig fromSettings(@JsonProperty("crossEntropyWeight") Double crossEntropyWeight,
                                   @JsonProperty("diceWeight") Double diceWeight,
                                   @JsonProperty("classWeights") List<Double> classWeights,
                                   @JsonProperty("ignoreIndex") Integer ignoreIndex,
                                   @JsonProperty("labelSmoothing") Double labelSmoothing,
                                   @JsonProperty("terms") List<LossTerm> terms) {
        return new LossConfig(crossEntropyWeight == null ? 1 : crossEntropyWeight, diceWeight == null ? 0 : diceWeight,
                classWeights, ignoreIndex == null ? 255 : ignoreIndex, labelSmoothing == null ? 0 : labelSmoothing,
                terms);
    }

    /** The cross-entropy + Dice loss without label smoothing or extra terms. */
    public LossConfig(double crossEntropyWeight, double diceWeight, List<Double> classWeights, int ignoreIndex) {
        this(crossEntropyWeight, diceWeight, classWeights, ignoreIndex, 0, List.of());
    }

    /** Softmax cross-entropy alone, no class weights, ignore 255. */
    public static LossConfig crossEntropy() {
        return new LossConfig(1, 0, List.of(), 255);
    }

    /** Only the given terms (no cross-entropy, no Dice), ignore 255; e.g. {@code of(new LossTerm.Focal(1, 2, null))}. */
    public static LossConfig of(LossTerm... terms) {
        return new LossConfig(0, 0, List.of(), 255, 0, List.of(terms));
    }

    /** This loss with label smoothing {@code epsilon} on its cross-entropy term. */
    public LossConfig withLabelSmoothing(double epsilon) {
        return new LossConfig(crossEntropyWeight, diceWeight, classWeights, ignoreIndex, epsilon, terms);
    }

    /** This loss plus the given terms. */
    public LossConfig plus(LossTerm... more) {
        List<LossTerm> all = new java.util.ArrayList<>(terms);
        all.addAll(List.of(more));
        return new LossConfig(crossEntropyWeight, diceWeight, classWeights, ignoreIndex, labelSmoothing, all);
    }

    /** Cross-entropy plus Dice with the given weights, ignore 255. */
    public static LossConfig crossEntropyDice(double crossEntropyWeight, double diceWeight) {
        return new LossConfig(crossEntropyWeight, diceWeight, List.of(), 255);
    }

    /** This loss with per-class cross-entropy weights. */
    public LossConfig withClassWeights(List<Double> weights) {
        return new LossConfig(crossEntropyWeight, diceWeight, weights, ignoreIndex, labelSmoothing, terms);
    }

    /**
     * The output layer for a head with {@code numClasses} logit channels whose loss counts {@code outputWeight} times
     * (1 for the main output, 0.4 for PSPNet's auxiliary head).
     */
    public SegmentationLoss layer(int numClasses, double outputWeight) {
        SegmentationLoss loss = numClasses == 1
                ? SegmentationLoss.binaryCrossEntropy().terms(0, 0, crossEntropyWeight)
                : SegmentationLoss.crossEntropy().terms(crossEntropyWeight, diceWeight, 0);
        loss.numClasses(numClasses).ignoreIndex(ignoreIndex).outputWeight(outputWeight).labelSmoothing(labelSmoothing);
        for (LossTerm term : terms) {
            term.addTo(loss);
        }
        if (!classWeights.isEmpty()) {
            loss.classWeights(classWeights.stream().mapToDouble(Double::doubleValue).toArray());
        }
        return loss;
    }
}
