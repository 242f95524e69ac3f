package io.segnet.inference;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.segnet.data.transform.Normalize;
import io.segnet.data.transform.Transform;

import java.util.List;
import java.util.Objects;

/**
 * The deterministic image preprocessing a model was trained with, stored in its checkpoints so that evaluation and
 * prediction feed the model what it saw in training: per-channel normalisation {@code (x - mean[c]) / std[c]} of
 * images in [0, 1], or none; and the input size, for images too large to train at full size: every image resized by
 * {@code scale} or to {@code resize} (bilinear; masks nearest) before the model. Training and its validation work at
 * that size; {@link Predictor} resizes each image the same way and its logits back, so predictions and evaluations
 * are at the images' own size.
 *
 * @param mean   per-channel means (one value for every channel, or one per channel), empty for none
 * @param std    per-channel standard deviations, positive, as many as {@code mean}
 * @param scale  factor on both sides of every image ({@code --scale}, in (0, 4]), or null for none
 * @param resize {@code [height, width]} of every image ({@code --resize HxW}), or null for none; not with
 *               {@code scale}
 */
public record Preprocessing(List<Double> mean, List<Double> std,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Double scale,
                            @JsonInclude(JsonInclude.Include.NON_NULL) List<Integer> resize)
        implements java.io.Serializable {

    /** Normalisation only, at the images' own size. */
    public Preprocessing(List<Double> mean, List<Double> std) {
        this(mean, std, null, null);
    }

    /** Checks the lengths and values. */
    public Preprocessing {
        if (scale != null && (!(scale > 0) || scale > 4)) {
            throw new IllegalArgumentException("--scale (YAML data.scale) is " + scale + "; use a factor in (0, 4],"
                    + " e.g. 0.5 to train at half size");
        }
        if (scale != null && scale == 1.0) {
            scale = null;
        }
        if (resize != null) {
            if (resize.size() != 2 || resize.get(0) == null || resize.get(1) == null || resize.get(0) < 1
                    || resize.get(1) < 1) {
                throw new IllegalArgumentException("--resize (YAML data.resize) is " + resize + "; give a height and"
                        + " a width, e.g. --resize 384x512 (YAML resize: [384, 512])");
            }
            if (scale != null) {
                throw new IllegalArgumentException("give either --scale or --resize (YAML data.scale, data.resize),"
                        + " not both");
            }
            resize = List.copyOf(resize);
        }
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
        return mean.isEmpty() && !resizes();
    }

    /** Whether images are resized ({@code scale} or {@code resize} given). */
    @JsonIgnore
    public boolean resizes() {
        return scale != null || resize != null;
    }

    /** This normalisation at the images' own size (for images that are already at the model's input size). */
    public Preprocessing withoutResizing() {
        return new Preprocessing(mean, std);
    }

    /** This preprocessing with the images resized by {@code factor} (null or 1: not resized, as far as scale goes). */
    public Preprocessing withScale(Double factor) {
        return new Preprocessing(mean, std, factor, resize);
    }

    /**
     * The size the model sees for an image of {@code height x width}: scaled (rounded, at least 1) or the fixed
     * {@code resize}, or the image's own.
     *
     * @return {@code {height, width}}
     */
    public int[] inputSize(int height, int width) {
        if (resize != null) {
            return new int[]{resize.get(0), resize.get(1)};
        }
        if (scale != null) {
            return new int[]{Math.max(1, (int) Math.round(height * scale)),
                    Math.max(1, (int) Math.round(width * scale))};
        }
        return new int[]{height, width};
    }

    /** The normalisation transform, or {@code null} for none (resizing is not part of it; see {@link #inputSize}). */
    public Transform transform() {
        if (mean.isEmpty()) {
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
