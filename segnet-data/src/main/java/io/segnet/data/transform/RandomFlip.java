package io.segnet.data.transform;

import io.segnet.data.Rng;
import io.segnet.data.Sample;

/**
 * Mirrors image and mask together with probability {@code probability}: left-right for
 * {@link Axis#HORIZONTAL}, top-bottom for {@link Axis#VERTICAL}. Exact (a permutation of pixels).
 *
 * @param axis        which flip
 * @param probability chance of flipping, in {@code [0, 1]} (0.5 is usual)
 */
public record RandomFlip(Axis axis, double probability) implements Transform {

    /** Flip direction. */
    public enum Axis {
        /** Left-right: column x goes to W-1-x. */
        HORIZONTAL,
        /** Top-bottom: row y goes to H-1-y. */
        VERTICAL
    }

    /** Checks the probability. */
    public RandomFlip {
        if (axis == null) {
            throw new IllegalArgumentException("flip axis must be HORIZONTAL or VERTICAL");
        }
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("flip probability is " + probability + "; use a value in [0, 1]");
        }
    }

    /** Left-right flip with probability p. */
    public static RandomFlip horizontal(double p) {
        return new RandomFlip(Axis.HORIZONTAL, p);
    }

    /** Top-bottom flip with probability p. */
    public static RandomFlip vertical(double p) {
        return new RandomFlip(Axis.VERTICAL, p);
    }

    @Override
    public Sample apply(Sample s, Rng rng) {
        return rng.bernoulli(probability) ? flip(s, axis) : s;
    }

    /** The flipped sample, deterministically. */
    public static Sample flip(Sample s, Axis axis) {
        int h = s.height();
        int w = s.width();
        float[] img = s.image();
        float[] out = new float[img.length];
        for (int c = 0; c < s.channels(); c++) {
            int p = c * h * w;
            for (int y = 0; y < h; y++) {
                int sy = axis == Axis.VERTICAL ? h - 1 - y : y;
                for (int x = 0; x < w; x++) {
                    int sx = axis == Axis.HORIZONTAL ? w - 1 - x : x;
                    out[p + y * w + x] = img[p + sy * w + sx];
                }
            }
        }
        int[] mask = null;
        if (s.hasMask()) {
            int[] m = s.mask();
            mask = new int[m.length];
            for (int y = 0; y < h; y++) {
                int sy = axis == Axis.VERTICAL ? h - 1 - y : y;
                for (int x = 0; x < w; x++) {
                    int sx = axis == Axis.HORIZONTAL ? w - 1 - x : x;
                    mask[y * w + x] = m[sy * w + sx];
                }
            }
        }
        return s.with(s.channels(), h, w, out, mask);
    }
}
