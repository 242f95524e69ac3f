package io.segnet.data.transform;

import io.segnet.data.Rng;
import io.segnet.data.Sample;

import java.util.Arrays;

/**
 * Per-channel normalisation of the image, {@code (x - mean[c]) / std[c]}; the mask is untouched.
 * Deterministic. One mean and std apply to every channel; otherwise there must be one per channel.
 *
 * <p>For images in {@code [0, 1]} from ImageNet-pretrained encoders use {@link #imagenet()}
 * (mean 0.485, 0.456, 0.406; std 0.229, 0.224, 0.225, as torchvision).
 *
 * @param mean per-channel means (length 1 or C)
 * @param std  per-channel standard deviations, > 0 (same length as mean)
 */
public record Normalize(float[] mean, float[] std) implements Transform {

    /** Checks lengths and that every std is positive. */
    public Normalize {
        if (mean == null || std == null || mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("Normalize needs as many stds as means, at least one: got "
                    + Arrays.toString(mean) + " and " + Arrays.toString(std));
        }
        for (float v : std) {
            if (!(v > 0) || Float.isInfinite(v)) {
                throw new IllegalArgumentException("std " + Arrays.toString(std) + " must be positive and finite");
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** The same mean and std for every channel. */
    public static Normalize of(float mean, float std) {
        return new Normalize(new float[]{mean}, new float[]{std});
    }

    /** ImageNet statistics for RGB images in [0, 1]. */
    public static Normalize imagenet() {
        return new Normalize(new float[]{0.485f, 0.456f, 0.406f}, new float[]{0.229f, 0.224f, 0.225f});
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    @Override
    public Sample apply(Sample s, Rng rng) {
        if (mean.length != 1 && mean.length != s.channels()) {
            throw new IllegalArgumentException("Normalize has " + mean.length + " means but sample '" + s.id()
                    + "' has " + s.channels() + " channels; give one mean/std per channel or a single pair, or"
                    + " convert the images with --image-channels " + mean.length + " (YAML data.imageChannels: "
                    + mean.length + ")");
        }
        float[] img = s.image();
        float[] out = new float[img.length];
        int n = s.pixels();
        for (int c = 0; c < s.channels(); c++) {
            float m = mean[mean.length == 1 ? 0 : c];
            float inv = 1f / std[std.length == 1 ? 0 : c];
            for (int i = c * n; i < (c + 1) * n; i++) {
                out[i] = (img[i] - m) * inv;
            }
        }
        return s.withImage(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalize n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Normalize[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
