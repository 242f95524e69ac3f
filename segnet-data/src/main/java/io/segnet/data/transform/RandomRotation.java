package io.segnet.data.transform;

import io.segnet.data.Rng;
import io.segnet.data.Sample;

/**
 * Rotates image and mask together about the image centre by an angle drawn uniformly from
 * {@code [minDegrees, maxDegrees]}, with probability {@code probability}. Positive angles turn the picture
 * counter-clockwise as displayed. The output keeps the input size; corners that come from outside the
 * input get {@code imageFill} in the image and the ignore value in the mask. Image bilinear, mask
 * nearest-neighbour (so no new class values appear).
 *
 * @param minDegrees  smallest angle
 * @param maxDegrees  largest angle, >= minDegrees
 * @param probability chance of rotating, in [0, 1]
 * @param imageFill   image value outside the input (0 by default)
 */
public record RandomRotation(double minDegrees, double maxDegrees, double probability, float imageFill)
        implements Transform {

    /** Checks the ranges. */
    public RandomRotation {
        if (!(maxDegrees >= minDegrees) || Double.isInfinite(minDegrees) || Double.isInfinite(maxDegrees)) {
            throw new IllegalArgumentException("rotation range [" + minDegrees + ", " + maxDegrees
                    + "] is invalid; use finite minDegrees <= maxDegrees, e.g. [-15, 15]");
        }
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("rotation probability is " + probability + "; use a value in [0, 1]");
        }
    }

    /** Always rotate, by an angle in {@code [-maxDegrees, maxDegrees]}, filling with 0. */
    public static RandomRotation degrees(double maxDegrees) {
        return new RandomRotation(-Math.abs(maxDegrees), Math.abs(maxDegrees), 1.0, 0f);
    }

    @Override
    public Sample apply(Sample s, Rng rng) {
        boolean rotate = rng.bernoulli(probability);
        double degrees = rng.uniform(minDegrees, maxDegrees);
        return rotate ? rotate(s, degrees, imageFill) : s;
    }

    /** The sample rotated by {@code degrees} (counter-clockwise as displayed), deterministically. */
    public static Sample rotate(Sample s, double degrees, float imageFill) {
        double t = Math.toRadians(degrees);
        double cos = Math.cos(t);
        double sin = Math.sin(t);
        double cx = (s.width() - 1) / 2.0;
        double cy = (s.height() - 1) / 2.0;
        // output (x, y) reads input at c + R(-t)(p - c), with y pointing down
        return Warp.affine(s, s.height(), s.width(), cos, -sin, cx - cx * cos + cy * sin, sin, cos,
                cy - cx * sin - cy * cos, imageFill);
    }
}
