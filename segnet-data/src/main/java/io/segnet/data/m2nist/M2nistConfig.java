package io.segnet.data.m2nist;

/**
 * Parameters of generated M2NIST images. The defaults ({@link #DEFAULT}) are those of the original
 * M2NIST: 64x84 canvas, 1 to 3 digits, digit pixels = nonzero pixels.
 *
 * @param height    canvas height, >= 28
 * @param width     canvas width, >= 28
 * @param minDigits fewest digits per image, >= 1
 * @param maxDigits most digits per image; at most the number of 28x28 cells that tile the canvas
 *                  ({@code (height/28) * (width/28)}, 6 for 64x84), so a layout always exists
 * @param threshold a pixel is labelled with its digit's class where the digit's value is above this
 *                  (0: every nonzero pixel, as the original); dimmer pixels are background (class 10)
 */
public record M2nistConfig(int height, int width, int minDigits, int maxDigits, int threshold) {

    /** 64x84, 1..3 digits, threshold 0. */
    public static final M2nistConfig DEFAULT = new M2nistConfig(64, 84, 1, 3, 0);

    /** Checks the ranges. */
    public M2nistConfig {
        if (height < MnistDigits.SIZE || width < MnistDigits.SIZE) {
            throw new IllegalArgumentException("canvas " + height + "x" + width + " cannot hold a 28x28 digit;"
                    + " use at least 28x28 (M2NIST: 64x84)");
        }
        int cells = (height / MnistDigits.SIZE) * (width / MnistDigits.SIZE);
        if (minDigits < 1 || maxDigits < minDigits || maxDigits > cells) {
            throw new IllegalArgumentException("digits per image " + minDigits + ".." + maxDigits + " is invalid for a "
                    + height + "x" + width + " canvas; use 1 <= minDigits <= maxDigits <= " + cells);
        }
        if (threshold < 0 || threshold > 254) {
            throw new IllegalArgumentException("threshold is " + threshold + "; use 0..254 (0 labels every nonzero pixel)");
        }
    }

    /** This config with another digit count range. */
    public M2nistConfig withDigits(int min, int max) {
        return new M2nistConfig(height, width, min, max, threshold);
    }

    /** This config with another label threshold. */
    public M2nistConfig withThreshold(int t) {
        return new M2nistConfig(height, width, minDigits, maxDigits, t);
    }
}
