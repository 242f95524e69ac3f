package io.segnet.core.runtime;

/**
 * Thread-local scratch arrays for the Java kernels, so that per-plane work allocates nothing in steady state.
 * A kernel uses distinct {@code slot}s for arrays that are live at the same time; contents are undefined on return.
 */
public final class Scratch {
    private static final int SLOTS = 6;
    private static final ThreadLocal<double[][]> ARRAYS = ThreadLocal.withInitial(() -> new double[SLOTS][0]);
    private static final ThreadLocal<float[][]> FLOATS = ThreadLocal.withInitial(() -> new float[SLOTS][0]);
    private static final ThreadLocal<float[][]> FLOAT_ROWS = ThreadLocal.withInitial(() -> new float[1][0]);

    private Scratch() {
    }

    /** A thread-local array of at least {@code n} elements for {@code slot} (0 to 5). */
    public static double[] get(int slot, int n) {
        double[][] all = ARRAYS.get();
        if (all[slot].length < n) {
            all[slot] = new double[Math.max(n, all[slot].length + all[slot].length / 2)];
        }
        return all[slot];
    }

    /**
     * A thread-local float array of at least {@code n} elements for {@code slot} (0 to 5), for kernels on float
     * tensors; independent of the double slots.
     */
    public static float[] floats(int slot, int n) {
        float[][] all = FLOATS.get();
        if (all[slot].length < n) {
            all[slot] = new float[Math.max(n, all[slot].length + all[slot].length / 2)];
        }
        return all[slot];
    }

    /**
     * Thread-local rows, {@code count} arrays of at least {@code length} floats each, independent of the slots: for
     * kernels that work a row at a time, such as separable passes. Each row is indexed from 0 because C2 vectorises a
     * loop over arrays indexed {@code [j]} but not one over a shared array indexed {@code [a + j]}, {@code [b + j]}
     * with different offsets (measured on bilinear resize, 256x256 from 32x32: the vertical pass 10 against 31 us per
     * plane).
     */
    public static float[][] floatRows(int count, int length) {
        float[][] rows = FLOAT_ROWS.get();
        if (rows.length < count || rows[0].length < length) {
            rows = new float[Math.max(count, rows.length)][Math.max(length, rows[0].length)];
            FLOAT_ROWS.set(rows);
        }
        return rows;
    }

    /** As {@link #get}, zero-filled over the first {@code n} elements. */
    public static double[] zeros(int slot, int n) {
        double[] a = get(slot, n);
        java.util.Arrays.fill(a, 0, n, 0.0);
        return a;
    }
}
