package io.segnet.inference;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.segnet.data.transform.Normalize;
import io.segnet.data.transform.Transform;

import java.util.List;
import java.util.Objects;

/**
 * The deterministic image preprocessing a model was trained with, stored in its checkpoints so that evaluation and
 * prediction feed the model what it saw in training: per-channel normalisation {@code (x - mean[c]) / std[c]} of
 * images in [0, 1], or none.
 *
 * @param mean per-channel means (one value for every channel, or one per channel), empty for none
 * @param std  per-channel standard deviations, positive, as many as {@code mean}
 */
public record Preprocessing(List<Double> mean, List<Double> std) {

    /** Checks the lengths and values. */
    public Preprocessing {
        mean = mean == null ? List.of() : List.copyOf(mean);
        std = std == null ? List.of() : List.copyOf(std);
        if (mean.size() != std.size()) {
            throw new IllegalArgumentException("preprocessing has " + mean.size() + " means and " + std.size()
                    + " stds; give one std per mean");
        }
        for (Double s : std) {
            if (s == null || !(s > 0) || s.isInfinite()) {
                throw new IllegalArgumentException("preprocessing std " + std + " must be positive and finite");
            }
        }
        for (Double m : mean) {
            Objects.requireNonNull(m, "preprocessing mean");
        }
    }

    /** No preprocessing: images in [0, 1] go to the model as they are. */
    public static Preprocessing none() {
        return new Preprocessing(List.of(), List.of());
    }

    /** {@code (x - mean) / std} on every channel. */
    public static Preprocessing normalize(double mean, double std) {
        return new Preprocessing(List.of(mean), List.of(std));
    }

    /** Whether this is {@link #none()}. */
    @JsonIgnore
    public boolean isNone() {
        return mean.isEmpty();
    }

    /** The transform, or {@code null} for none. */
    public Transform transform() {
        if (isNone()) {
            return null;
        }
        float[] m = new float[mean.size()];
        float[] s = new float[std.size()];
        for (int i = 0; i < m.length; i++) {
            m[i] = mean.get(i).floatValue();
            s[i] = std.get(i).floatValue();
        }
        return new Normalize(m, s);
    }
}
