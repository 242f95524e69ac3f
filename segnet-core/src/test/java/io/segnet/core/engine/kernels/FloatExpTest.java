package io.segnet.core.engine.kernels;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FloatExpTest {

    /** Every 9973rd float bit pattern between -87.3 and 88.3, plus the integers and halves there. */
    private static float[] inputs() {
        float[] xs = new float[300_000];
        int n = 0;
        for (float x = -87f; x <= 88f; x += 0.5f) {
            xs[n++] = x;
        }
        for (int bits = Float.floatToRawIntBits(-87.3f); bits > Float.floatToRawIntBits(-0f) + 9973; bits -= 9973) {
            xs[n++] = Float.intBitsToFloat(bits);
        }
        for (int bits = 0; Float.intBitsToFloat(bits) < 88.3f; bits += 9973) {
            xs[n++] = Float.intBitsToFloat(bits);
        }
        return Arrays.copyOf(xs, n);
    }

    @Test
    void isWithinTwoUlpOfMathExpOverTheWholeRange() {
        float[] x = inputs();
        float[] y = new float[x.length + 5];
        Arrays.fill(y, -1f);
        FloatExp.exp(x, y, x.length, new float[x.length]);
        double worstUlps = 0;
        for (int i = 0; i < x.length; i++) {
            double want = Math.exp(x[i]);
            worstUlps = Math.max(worstUlps, Math.abs(y[i] - want) / Math.ulp((float) want));
        }
        assertTrue(worstUlps <= 2, "worst error " + worstUlps + " ulp over " + x.length + " inputs");
        assertEquals(-1f, y[x.length], "elements past len are not written");
    }

    @Test
    void clampsOutsideTheNormalRangeAndKeepsNaN() {
        float[] x = {-1000f, -88f, 89f, 1000f, Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 0f};
        float[] y = new float[x.length];
        FloatExp.exp(x, y, x.length, new float[x.length]);
        float low = (float) Math.exp(-87.3f), high = (float) Math.exp(88.3f);
        assertEquals(low, y[0], 2 * Math.ulp(low));
        assertEquals(low, y[1], 2 * Math.ulp(low));
        assertEquals(high, y[2], 2 * Math.ulp(high));
        assertEquals(high, y[3], 2 * Math.ulp(high));
        assertTrue(Float.isNaN(y[4]));
        assertEquals(low, y[5], 2 * Math.ulp(low));
        assertEquals(high, y[6], 2 * Math.ulp(high));
        assertEquals(1f, y[7]);
    }

    @Test
    void inPlaceGivesTheSameResult() {
        float[] x = inputs(), y = new float[x.length];
        FloatExp.exp(x, y, x.length, new float[x.length]);
        FloatExp.exp(x, x, x.length, new float[x.length]);
        assertTrue(Arrays.equals(x, y));
    }

    @Test
    void rejectsArraysShorterThanLen() {
        assertThrows(IllegalArgumentException.class, () -> FloatExp.exp(new float[3], new float[4], 4, new float[4]));
        assertThrows(IllegalArgumentException.class, () -> FloatExp.exp(new float[4], new float[4], 4, new float[3]));
    }
}
