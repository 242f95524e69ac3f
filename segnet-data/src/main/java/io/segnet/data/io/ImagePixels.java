package io.segnet.data.io;

/**
 * A decoded image as floats in {@code [0, 1]}, CHW order: {@code data[c*H*W + y*W + x]}.
 *
 * @param channels C, 1 (grayscale) or 3 (RGB)
 * @param height   H
 * @param width    W
 * @param data     C*H*W values, each stored value divided by the largest value of its bit depth
 *                 (255 for 8-bit, 65535 for 16-bit)
 */
public record ImagePixels(int channels, int height, int width, float[] data) {

    /** Checks the array length. */
    public ImagePixels {
        if (channels < 1 || height < 1 || width < 1 || data == null
                || (long) channels * height * width != data.length) {
            throw new IllegalArgumentException("image pixels: " + channels + "x" + height + "x" + width
                    + " does not match " + (data == null ? "null" : data.length + " values"));
        }
    }

    /** {@code HxW}, for messages. */
    public String size() {
        return height + "x" + width;
    }
}
