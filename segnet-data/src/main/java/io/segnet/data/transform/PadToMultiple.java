package io.segnet.data.transform;

import io.segnet.data.Rng;
import io.segnet.data.Sample;

import java.util.Arrays;

/**
 * Pads the bottom and right of a sample so that height and width become multiples of {@code multiple}
 * (encoders with output stride 32 need inputs divisible by 32). Deterministic. Padded image pixels get
 * {@code imageFill}, padded mask pixels the ignore value; a sample that already fits is returned as is.
 *
 * @param multiple  the divisor, >= 1 (32 for most encoders)
 * @param imageFill image value of padded pixels
 */
public record PadToMultiple(int multiple, float imageFill) implements Transform {

    /** Checks the divisor. */
    public PadToMultiple {
        if (multiple < 1) {
            throw new IllegalArgumentException("multiple is " + multiple + "; use a positive divisor such as 32");
        }
    }

    /** Pads with image value 0. */
    public static PadToMultiple of(int multiple) {
        return new PadToMultiple(multiple, 0f);
    }

    @Override
    public Sample apply(Sample s, Rng rng) {
        int h = paddedSize(s.height());
        int w = paddedSize(s.width());
        if (h == s.height() && w == s.width()) {
            return s;
        }
        return padTo(s, h, w, imageFill);
    }

    /**
     * {@code s} padded at the bottom and right to {@code h x w}: image pixels {@code imageFill}, mask pixels the
     * sample's ignore value; {@code s} itself if it has that size.
     *
     * @throws IllegalArgumentException if {@code s} is larger than {@code h x w}
     */
    public static Sample padTo(Sample s, int h, int w, float imageFill) {
        if (h < s.height() || w < s.width()) {
            throw new IllegalArgumentException("cannot pad '" + s.id() + "' (" + s.shapeString() + ") to " + h + "x"
                    + w);
        }
        if (h == s.height() && w == s.width()) {
            return s;
        }
        int plane = s.pixels();
        int outPlane = h * w;
        float[] out = new float[s.channels() * outPlane];
        Arrays.fill(out, imageFill);
        for (int c = 0; c < s.channels(); c++) {
            for (int y = 0; y < s.height(); y++) {
                System.arraycopy(s.image(), c * plane + y * s.width(), out, c * outPlane + y * w, s.width());
            }
        }
        int[] mask = null;
        if (s.hasMask()) {
            mask = new int[outPlane];
            Arrays.fill(mask, s.ignoreValue());
            for (int y = 0; y < s.height(); y++) {
                System.arraycopy(s.mask(), y * s.width(), mask, y * w, s.width());
            }
        }
        return s.with(s.channels(), h, w, out, mask);
    }

    /** {@code size} padded up to the next multiple of {@link #multiple()}: the size this transform produces. */
    public int paddedSize(int size) {
        return (size + multiple - 1) / multiple * multiple;
    }
}
