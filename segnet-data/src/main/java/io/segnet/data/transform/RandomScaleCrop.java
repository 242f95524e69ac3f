package io.segnet.data.transform;

import io.segnet.data.Rng;
import io.segnet.data.Sample;

/**
 * Random scale, then a random crop of a fixed size, padding where the scaled sample is smaller: the
 * standard training augmentation of segmentation (mmsegmentation's {@code RandomResize} + {@code RandomCrop}
 * + {@code Pad}).
 *
 * <p>A scale factor {@code s} is drawn uniformly from {@code [minScale, maxScale]} and the sample is
 * scaled to {@code round(H*s) x round(W*s)} (aspect ratio kept; image bilinear, mask nearest-neighbour,
 * half-pixel centres). Along each axis, a window of the crop size starts at a uniform integer offset in
 * {@code [min(0, S-C), max(0, S-C)]} of the scaled size {@code S} and crop size {@code C}: inside a larger
 * sample it is a random crop, around a smaller one it places the sample at a random position. Pixels
 * outside the scaled sample get {@code imageFill} in the image and the sample's ignore value in the mask,
 * so padding never counts in the loss. Output: {@code C x cropHeight x cropWidth}.
 *
 * @param minScale   smallest scale factor, > 0
 * @param maxScale   largest scale factor, >= minScale
 * @param cropHeight output height
 * @param cropWidth  output width
 * @param imageFill  image value of padded pixels (0 by default; after normalisation use the value that
 *                   normalises to 0, or apply this transform before {@link Normalize})
 */
public record RandomScaleCrop(double minScale, double maxScale, int cropHeight, int cropWidth, float imageFill)
        implements Transform {

    /** Checks the ranges. */
    public RandomScaleCrop {
        if (!(minScale > 0) || !(maxScale >= minScale) || Double.isInfinite(maxScale)) {
            throw new IllegalArgumentException("scale range [" + minScale + ", " + maxScale
                    + "] is invalid; use 0 < minScale <= maxScale, e.g. [0.5, 2.0]");
        }
        if (cropHeight < 1 || cropWidth < 1) {
            throw new IllegalArgumentException("crop size " + cropHeight + "x" + cropWidth + " must be positive");
        }
    }

    /** Padding with image value 0. */
    public RandomScaleCrop(double minScale, double maxScale, int cropHeight, int cropWidth) {
        this(minScale, maxScale, cropHeight, cropWidth, 0f);
    }

    /** A random crop at the original scale. */
    public static RandomScaleCrop crop(int cropHeight, int cropWidth) {
        return new RandomScaleCrop(1, 1, cropHeight, cropWidth, 0f);
    }

    @Override
    public Sample apply(Sample s, Rng rng) {
        double scale = rng.uniform(minScale, maxScale);
        int scaledH = Math.max(1, (int) Math.round(s.height() * scale));
        int scaledW = Math.max(1, (int) Math.round(s.width() * scale));
        int top = offset(scaledH, cropHeight, rng);
        int left = offset(scaledW, cropWidth, rng);
        return Warp.scaleAndWindow(s, scaledH, scaledW, top, left, cropHeight, cropWidth, imageFill);
    }

    private static int offset(int size, int crop, Rng rng) {
        return rng.nextInt(Math.min(0, size - crop), Math.max(0, size - crop));
    }
}
