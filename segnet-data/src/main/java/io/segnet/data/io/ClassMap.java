package io.segnet.data.io;

/**
 * A decoded mask: one class id per pixel, row-major.
 *
 * @param height  H
 * @param width   W
 * @param classes H*W class ids ({@code 0..K-1} or the ignore value)
 */
public record ClassMap(int height, int width, int[] classes) {

    /** Checks the array length. */
    public ClassMap {
        if (height < 1 || width < 1 || classes == null || (long) height * width != classes.length) {
            throw new IllegalArgumentException("class map " + height + "x" + width + " does not match "
                    + (classes == null ? "null" : classes.length + " values"));
        }
    }

    /** {@code HxW}, for messages. */
    public String size() {
        return height + "x" + width;
    }
}
