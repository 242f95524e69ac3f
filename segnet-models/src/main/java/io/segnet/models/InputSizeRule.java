package io.segnet.models;

import io.segnet.models.encoder.EncoderConfig;

/**
 * Which input sizes a model accepts: heights and widths of at least {@code minimum} that are multiples of
 * {@code multiple} (1 when any size works). {@link #check} says which size to pad to when one is not accepted.
 *
 * @param multiple height and width must be multiples of this (the output stride for decoders that upsample by exact
 *                 factors), or 1
 * @param minimum  smallest accepted height and width (the encoder's output stride: one pixel at the coarsest level)
 * @param reason   why, for the message ("the encoder's output stride with transposed-convolution upsampling")
 */
public record InputSizeRule(int multiple, int minimum, String reason) {

    public InputSizeRule {
        if (multiple < 1 || minimum < 1) {
            throw new IllegalArgumentException("InputSizeRule: multiple and minimum must be >= 1, got " + multiple
                    + " and " + minimum);
        }
    }

    /**
     * The rule of a decoder that resizes to its skips' sizes (bilinear upsampling, unpooling by indices, ASPP and
     * pyramid pooling): any size of at least the encoder's output stride.
     */
    public static InputSizeRule atLeastStride(EncoderConfig encoder) {
        return new InputSizeRule(1, encoder.outputStride(), "the encoder's output stride");
    }

    /**
     * The rule of a decoder that upsamples by {@code upsampling}: transposed convolutions upsample by exact factors, so
     * they need multiples of the encoder's output stride; bilinear upsampling accepts any size of at least the stride.
     *
     * @param model the architecture's name for the message ("U-Net")
     */
    public static InputSizeRule forUpsampling(String model, EncoderConfig encoder, Upsampling upsampling) {
        int s = encoder.outputStride();
        return upsampling == Upsampling.TRANSPOSED
                ? new InputSizeRule(s, s, model + " with transposed-convolution upsampling needs multiples of the "
                + "encoder's output stride " + s + "; bilinear upsampling accepts any size")
                : atLeastStride(encoder);
    }

    /** True if {@code height x width} is accepted. */
    public boolean accepts(long height, long width) {
        return height >= minimum && width >= minimum && height % multiple == 0 && width % multiple == 0;
    }

    /** The smallest accepted size at least {@code n} along one axis. */
    public long padTo(long n) {
        long m = Math.max(n, minimum);
        return (m + multiple - 1) / multiple * multiple;
    }

    /**
     * Throws if {@code height x width} is not accepted, with a message that starts with {@code who} and names the
     * size to pad to.
     */
    public void check(String who, long height, long width) {
        if (accepts(height, width)) {
            return;
        }
        String padded = padTo(height) + "x" + padTo(width);
        if (height < minimum || width < minimum) {
            throw new IllegalArgumentException(who + ": input " + height + "x" + width + " is smaller than " + minimum
                    + "x" + minimum + " (" + reason + "); pad or resize the input to at least " + padded);
        }
        throw new IllegalArgumentException(who + ": input " + height + "x" + width + " is not a multiple of "
                + multiple + " in both height and width (" + reason + "); pad the input to " + padded);
    }
}
