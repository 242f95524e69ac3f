package io.segnet.core.runtime;

/**
 * Thread-local scratch arrays for the Java kernels, so that per-plane work allocates nothing in steady state.
 * A kernel uses distinct {@code slot}s for arrays that are live at the same time; contents are undefined on return.
 */
public final class Scratch {
    private static final int SLOTS = 6;
    private static final ThreadLocal<double[][]> ARRAYS = ThreadLocal.withInitial(() -> new double[SLOTS][0]);
    private static final ThreadLocal<float[][]> FLOATS = ThreadLocal.withInitial(() -> new float[SLOTS][0]);

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
     * A thread-local float array of at least {@code n} elements for {@code slot} (0 to 5), for kernels that move float
     * values without arithmetic (selection, scatter, gather); independent of the double slots.
     */
    public static float[] floats(int slot, int n) {
        float[][] all = FLOATS.get();
        if (all[slot].length < n) {
            all[slot] = new float[Math.max(n, all[slot].length + all[slot].length / 2)];
        }
        return all[slot];
    }

    /** As {@link #get}, zero-filled over the first {@code n} elements. */
    public static double[] zeros(int slot, int n) {
        double[] a = get(slot, n);
        java.util.Arrays.fill(a, 0, n, 0.0);
        return a;
    }
}
