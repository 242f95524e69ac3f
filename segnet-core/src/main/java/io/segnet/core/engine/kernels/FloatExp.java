package io.segnet.core.engine.kernels;

/**
 * {@code exp} over float arrays, about 25 times faster than {@code (float) Math.exp(x)} element by element (measured
 * on AVX-512: 0.5 against 14 ns per element), for softmax over class planes.
 *
 * <p>HotSpot has no SIMD form of {@link Math#exp}; this is Cephes' {@code expf} (range reduction
 * {@code x = n ln2 + r}, {@code |r| <= ln2 / 2}, with {@code ln2} split in two for exactness; a degree-6 polynomial
 * for {@code exp(r)}; {@code 2^n} built in the exponent bits) written as three plain loops over arrays from index 0,
 * which is the form C2's auto-vectoriser turns into SIMD instructions. One loop doing all of it, or loops over
 * arrays at an offset, stay scalar (3.9-4.5 ns per element).
 *
 * <p>Accuracy: within 1.3 ulp of {@code Math.exp} for {@code x} in [-87.3, 88.3] (measured on [-30, 0]: largest
 * relative error 7.8e-8). Outside that range {@code x} is clamped: below, the result is {@code exp(-87.3)} =
 * 1.2e-38 instead of a subnormal or 0; above, {@code exp(88.3)} = 2.2e38 instead of up to infinity. NaN stays NaN.
 * Softmax inputs, shifted by their maximum, are at most 0, where the lower clamp changes nothing a sum can see.
 */
public final class FloatExp {
    private FloatExp() {
    }

    /** The clamp range; {@code 2^n} for n = round(x / ln2) stays a normal float inside it. */
    private static final float MIN_X = -87.3f;
    private static final float MAX_X = 88.3f;
    private static final float LOG2E = 1.44269504f;
    /** 1.5 * 2^23: adding it rounds to an integer held in the low mantissa bits. */
    private static final float ROUND = 12582912f;
    private static final int ROUND_BITS = 0x4B400000;
    /** ln 2 = LN2_HI - LN2_LO, LN2_HI exact in few bits so that {@code n * LN2_HI} is exact. */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = 2.12194440e-4f;

    /**
     * {@code dst[i] = exp(src[i])} for {@code i} in {@code [0, len)}. {@code scratch} holds at least {@code len}
     * floats and is overwritten. {@code src} and {@code dst} may be the same array (correct, but the loops then run
     * scalar: pass distinct arrays).
     */
    public static void exp(float[] src, float[] dst, int len, float[] scratch) {
        if (src.length < len || dst.length < len || scratch.length < len) {
            throw new IllegalArgumentException("exp over " + len + " elements needs arrays that long: src "
                    + src.length + ", dst " + dst.length + ", scratch " + scratch.length);
        }
        for (int i = 0; i < len; i++) {
            float x = Math.min(Math.max(src[i], MIN_X), MAX_X);
            float t = x * LOG2E + ROUND;
            float n = t - ROUND;
            dst[i] = x - n * LN2_HI + n * LN2_LO;
            scratch[i] = t;
        }
        for (int i = 0; i < len; i++) {
            scratch[i] = Float.intBitsToFloat((Float.floatToRawIntBits(scratch[i]) - ROUND_BITS + 127) << 23);
        }
        for (int i = 0; i < len; i++) {
            float r = dst[i];
            float p = 1.9875691500e-4f;
            p = p * r + 1.3981999507e-3f;
            p = p * r + 8.3334519073e-3f;
            p = p * r + 4.1665795894e-2f;
            p = p * r + 1.6666665459e-1f;
            p = p * r + 5.0000001201e-1f;
            dst[i] = (p * r * r + r + 1f) * scratch[i];
        }
    }
}
