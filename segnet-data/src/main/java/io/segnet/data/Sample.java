package io.segnet.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * One image and its class map, in memory: the unit that data sets produce, transforms change and
 * the batch iterator stacks.
 *
 * <p>{@code image} holds {@code channels x height x width} floats in CHW order (channel-major, then
 * rows, then columns), usually in {@code [0, 1]} as read from disk and before normalisation.
 * {@code mask} holds {@code height x width} class ids in row-major order: {@code 0..numClasses-1}
 * for classes and {@link #ignoreValue()} for pixels that count for nothing (unlabelled, padding).
 * {@code mask} is {@code null} for an image without labels (inference).
 *
 * <p>The arrays are not copied: nothing in segnet-data modifies the arrays of a sample it is given;
 * transforms return new samples. {@link #equals} compares contents, so two samples made from the
 * same seed compare equal.
 *
 * @param id          name of the sample for messages, e.g. the file name stem {@code "17"}
 * @param channels    number of image channels C (1 for grayscale, 3 for RGB)
 * @param height      H in pixels
 * @param width       W in pixels
 * @param image       C*H*W floats, CHW order
 * @param mask        H*W class ids, or {@code null} when the sample has no labels
 * @param ignoreValue the class id that marks ignored pixels (default {@link #DEFAULT_IGNORE}, 255)
 */
public record Sample(String id, int channels, int height, int width, float[] image, int[] mask,
                     int ignoreValue) {

    /** The ignore value used unless a data set configures another: 255, as in mmsegmentation. */
    public static final int DEFAULT_IGNORE = 255;

    /** Checks that the arrays match the stated shape. */
    public Sample {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(image, "image");
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("sample '" + id + "': shape " + channels + "x" + height + "x"
                    + width + " must be positive in every dimension");
        }
        if ((long) channels * height * width != image.length) {
            throw new IllegalArgumentException("sample '" + id + "': image has " + image.length + " values but "
                    + channels + "x" + height + "x" + width + " needs " + (long) channels * height * width);
        }
        if (mask != null && (long) height * width != mask.length) {
            throw new IllegalArgumentException("sample '" + id + "': mask has " + mask.length + " values but "
                    + height + "x" + width + " needs " + (long) height * width);
        }
        if (ignoreValue < 0) {
            throw new IllegalArgumentException("sample '" + id + "': ignoreValue " + ignoreValue
                    + " must be >= 0 (class ids are non-negative); the usual value is 255");
        }
    }

    /** A sample with the default ignore value 255. */
    public static Sample of(String id, int channels, int height, int width, float[] image, int[] mask) {
        return new Sample(id, channels, height, width, image, mask, DEFAULT_IGNORE);
    }

    /** Whether this sample carries a class map. */
    public boolean hasMask() {
        return mask != null;
    }

    /** Number of pixels, H*W. */
    public int pixels() {
        return height * width;
    }

    /** The same id and ignore value with new pixel data (and possibly a new size). */
    public Sample with(int newChannels, int newHeight, int newWidth, float[] newImage, int[] newMask) {
        return new Sample(id, newChannels, newHeight, newWidth, newImage, newMask, ignoreValue);
    }

    /** The same sample with a new image of the same shape; the mask is kept (photometric transforms). */
    public Sample withImage(float[] newImage) {
        return new Sample(id, channels, height, width, newImage, mask, ignoreValue);
    }

    /** Shape as text, {@code CxHxW}, for messages. */
    public String shapeString() {
        return channels + "x" + height + "x" + width;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sample s && id.equals(s.id) && channels == s.channels && height == s.height
                && width == s.width && ignoreValue == s.ignoreValue && Arrays.equals(image, s.image)
                && Arrays.equals(mask, s.mask);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, channels, height, width, ignoreValue, Arrays.hashCode(image), Arrays.hashCode(mask));
    }

    @Override
    public String toString() {
        return "Sample[" + id + ", " + shapeString() + (mask == null ? ", no mask" : ", mask") + ", ignore="
                + ignoreValue + "]";
    }
}
