package io.segnet.inference.crf;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PermutohedralLatticeTest {

    private static float[] grid(int h, int w, float inv) {
        float[] f = new float[h * w * 2];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                f[2 * (y * w + x)] = x * inv;
                f[2 * (y * w + x) + 1] = y * inv;
            }
        }
        return f;
    }

    /** A constant field filtered and normalised by the filtered ones stays constant. */
    @Test
    void aConstantStaysConstant() {
        int h = 20, w = 24, n = h * w;
        PermutohedralLattice lattice = PermutohedralLattice.build(grid(h, w, 0.5f), n, 2);
        float[] ones = new float[n];
        java.util.Arrays.fill(ones, 1f);
        float[] sums = new float[n];
        lattice.filter(ones, sums, 1);
        float[] values = new float[n * 2];
        for (int i = 0; i < n; i++) {
            values[2 * i] = 3f;
            values[2 * i + 1] = -1.5f;
        }
        float[] out = new float[n * 2];
        lattice.filter(values, out, 2);
        for (int i = 0; i < n; i++) {
            assertEquals(3f, out[2 * i] / sums[i], 1e-5f);
            assertEquals(-1.5f, out[2 * i + 1] / sums[i], 1e-5f);
        }
    }

    /**
     * A delta spreads as a Gaussian of the features does: largest at the delta, falling with distance, the same at
     * the same distance in the four directions and close to exp(-r^2 / 2) relative to the centre, to the lattice's
     * approximation (measured on this 41x41 grid with a 3-pixel Gaussian: within 0.06 between directions and 0.10 of
     * the exact Gaussian, relative to the centre), and with the mass the filter gives a constant (the filtered
     * ones).
     */
    @Test
    void aDeltaSpreadsAsTheKernelSays() {
        int h = 41, w = 41, n = h * w;
        float inv = 1 / 3f; // a Gaussian of 3 pixels
        PermutohedralLattice lattice = PermutohedralLattice.build(grid(h, w, inv), n, 2);
        float[] delta = new float[n];
        int cy = 20, cx = 20;
        delta[cy * w + cx] = 1;
        float[] out = new float[n];
        lattice.filter(delta, out, 1);
        float centre = out[cy * w + cx];
        for (int r = 1; r <= 8; r++) {
            float right = out[cy * w + cx + r], left = out[cy * w + cx - r];
            float down = out[(cy + r) * w + cx], up = out[(cy - r) * w + cx];
            assertTrue(right < out[cy * w + cx + r - 1] && left < out[cy * w + cx - r + 1],
                    "falls with distance at r=" + r);
            for (float v : new float[]{left, down, up}) {
                assertEquals(right / centre, v / centre, 0.07, "symmetric at r=" + r);
            }
            double gauss = Math.exp(-0.5 * (r * inv) * (r * inv));
            assertEquals(gauss, right / centre, 0.12, "Gaussian profile at r=" + r);
        }
        double mass = 0;
        for (float v : out) {
            mass += v;
        }
        float[] ones = new float[n];
        java.util.Arrays.fill(ones, 1f);
        float[] sums = new float[n];
        lattice.filter(ones, sums, 1);
        assertEquals(sums[cy * w + cx], mass, 0.05 * mass, "the filter is symmetric: mass = filtered ones");
    }
}
