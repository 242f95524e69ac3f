package io.segnet.data.transform;

import io.segnet.data.Rng;
import io.segnet.data.Sample;

/**
 * Resizes image (bilinear) and mask (nearest-neighbour) to a fixed size, deterministically; for inference
 * and evaluation at a fixed input size. Half-pixel centres, matching PyTorch's
 * {@code interpolate(mode="bilinear", align_corners=False)} for the image; the mask takes the input pixel
 * {@code floor((y + 0.5) * H / outH)} (PyTorch's {@code "nearest-exact"}).
 *
 * @param height output height
 * @param width  output width
 */
public record Resize(int height, int width) implements Transform {

    /** Checks the size. */
    public Resize {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("resize target " + height + "x" + width + " must be positive");
        }
    }

    @Override
    public Sample apply(Sample s, Rng rng) {
        return resize(s, height, width);
    }

    /** The sample resized to {@code height x width}. */
    public static Sample resize(Sample s, int height, int width) {
        if (s.height() == height && s.width() == width) {
            return s;
        }
        return Warp.scaleAndWindow(s, height, width, 0, 0, height, width, 0f);
    }
}
