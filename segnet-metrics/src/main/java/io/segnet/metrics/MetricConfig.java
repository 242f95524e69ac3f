package io.segnet.metrics;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a {@link SegmentationEvaluator} measures and how. Immutable, validated on construction, readable and writable
 * with Jackson ({@code zeroDivision} NaN is written as {@code null}, see {@link NanAsNull}).
 *
 * @param classNames one name per class id, in id order ({@code C = classNames.size()}); non-blank and distinct
 * @param ignoreValue ground-truth value whose pixels are skipped; default {@value ConfusionMatrix#DEFAULT_IGNORE_VALUE};
 *     must lie outside {@code [0, C)}
 * @param reduction {@link Reduction#DATASET} (default) or {@link Reduction#IMAGEWISE}
 * @param fScoreBeta beta of the F-score, finite and &gt; 0; default 1 (F1), as mmsegmentation's {@code beta}
 * @param zeroDivision for {@link Reduction#IMAGEWISE} only: the score given to a class whose per-image score is
 *     undefined (0/0, e.g. absent from an image's truth and prediction). NaN (default) leaves it out of the averages,
 *     as everywhere else in segnet; 1.0 reproduces segmentation_models.pytorch's default {@code zero_division=1.0};
 *     otherwise a value in [0, 1]
 */
public record MetricConfig(
        List<String> classNames,
        int ignoreValue,
        Reduction reduction,
        double fScoreBeta,
        @JsonSerialize(using = NanAsNull.Serializer.class)
        @JsonDeserialize(using = NanAsNull.Deserializer.class)
        double zeroDivision) implements java.io.Serializable {

    /** Validates and copies {@code classNames}. */
    public MetricConfig {
        Objects.requireNonNull(classNames, "classNames");
        for (int i = 0; i < classNames.size(); i++) {
            if (classNames.get(i) == null) {
                throw new IllegalArgumentException("class name " + i + " is null; give every class a name");
            }
        }
        classNames = List.copyOf(classNames);
        requireClassNames(classNames);
        if (ignoreValue >= 0 && ignoreValue < classNames.size()) {
            throw new IllegalArgumentException("ignoreValue " + ignoreValue + " is a class id (classes are 0.."
                    + (classNames.size() - 1) + "); choose an ignore value outside that range, e.g. -1 or "
                    + Math.max(255, classNames.size()));
        }
        Objects.requireNonNull(reduction, "reduction");
        SegmentationMetrics.requireBeta(fScoreBeta);
        if (!Double.isNaN(zeroDivision) && !(zeroDivision >= 0 && zeroDivision <= 1)) {
            throw new IllegalArgumentException("zeroDivision is " + zeroDivision + "; use NaN (leave undefined "
                    + "scores out) or a value in [0, 1] (segmentation_models.pytorch uses 1.0)");
        }
    }

    /** Checks class names: at least one, at most 46340, each non-blank, all distinct. */
    static void requireClassNames(List<String> classNames) {
        if (classNames.isEmpty() || classNames.size() > 46340) {
            throw new IllegalArgumentException("there are " + classNames.size() + " class names; give between 1 and "
                    + "46340, one per class id");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < classNames.size(); i++) {
            String name = classNames.get(i);
            if (name.isBlank()) {
                throw new IllegalArgumentException("class name " + i + " is blank; give every class a name");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("class name '" + name + "' is used for class " + i + " and an "
                        + "earlier class; class names must be distinct");
            }
        }
    }

    /**
     * The defaults for these classes: ignore value 255, {@link Reduction#DATASET}, F1, undefined scores left out.
     */
    public static MetricConfig of(List<String> classNames) {
        return new MetricConfig(classNames, ConfusionMatrix.DEFAULT_IGNORE_VALUE, Reduction.DATASET, 1.0, Double.NaN);
    }

    /** {@link #of} with classes named {@code "class 0"}, {@code "class 1"}, ... */
    public static MetricConfig numbered(int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses is " + numClasses + "; it must be at least 1");
        }
        List<String> names = new ArrayList<>(numClasses);
        for (int i = 0; i < numClasses; i++) {
            names.add("class " + i);
        }
        return of(names);
    }

    /** Number of classes {@code C}. */
    public int numClasses() {
        return classNames.size();
    }

    /** This config with another ignore value. */
    public MetricConfig withIgnoreValue(int value) {
        return new MetricConfig(classNames, value, reduction, fScoreBeta, zeroDivision);
    }

    /** This config with another reduction. */
    public MetricConfig withReduction(Reduction value) {
        return new MetricConfig(classNames, ignoreValue, value, fScoreBeta, zeroDivision);
    }

    /** This config with another F-score beta. */
    public MetricConfig withFScoreBeta(double value) {
        return new MetricConfig(classNames, ignoreValue, reduction, value, zeroDivision);
    }

    /** This config with another image-wise zero-division score (NaN, or a value in [0, 1]). */
    public MetricConfig withZeroDivision(double value) {
        return new MetricConfig(classNames, ignoreValue, reduction, fScoreBeta, value);
    }
}
