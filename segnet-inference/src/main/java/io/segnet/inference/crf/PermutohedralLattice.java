package io.segnet.inference.crf;

import io.segnet.core.runtime.Parallel;

import java.util.Arrays;

/**
 * Gaussian filtering of values attached to points in a {@code d}-dimensional feature space through the permutohedral
 * lattice of Adams, Baek and Davis, "Fast High-Dimensional Filtering Using the Permutohedral Lattice" (Eurographics
 * 2010), in the formulation of Kr&auml;henb&uuml;hl and Koltun's DenseCRF code: every point is splatted onto the
 * {@code d + 1} vertices of its enclosing simplex with barycentric weights, the lattice is blurred with a
 * {@code [1 2 1] / 2} kernel along each of its {@code d + 1} axes, and the values are sliced back.
 *
 * <p>{@link #filter} approximates {@code out_i = sum_j exp(-|f_i - f_j|^2 / 2) in_j} (the point itself included) up to
 * a constant factor, in time linear in the number of points: features are in units of the kernel's standard
 * deviation (divide positions and colours by their thetas first). The lattice depends only on the features: build it
 * once per image and filter many value vectors with it. Instances are immutable after construction and
 * {@link #filter} may run from several threads at once.
 */
public final class PermutohedralLattice {
    private final int d;
    private final int points;
    private final int vertices;
    /** Lattice vertex of each point's {@code d + 1} simplex corners, {@code [points][d + 1]}. */
    private final int[] offset;
    /** Barycentric weight of each corner, {@code [points][d + 1]}. */
    private final float[] barycentric;
    /** Neighbours of each vertex along each axis, {@code [d + 1][vertices]}, -1 where the vertex has none. */
    private final int[] neighbourLow;
    private final int[] neighbourHigh;
    /** The splat as a gather: vertex v receives the points {@code splatPoint[splatStart[v] .. splatStart[v + 1])}. */
    private final int[] splatStart;
    private final int[] splatPoint;
    private final float[] splatWeight;

    private PermutohedralLattice(int d, int points, int vertices, int[] offset, float[] barycentric,
                                 int[] neighbourLow, int[] neighbourHigh) {
        this.d = d;
        this.points = points;
        this.vertices = vertices;
        this.offset = offset;
        this.barycentric = barycentric;
        this.neighbourLow = neighbourLow;
        this.neighbourHigh = neighbourHigh;
        int d1 = d + 1;
        this.splatStart = new int[vertices + 1];
        for (int e = 0; e < offset.length; e++) {
            splatStart[offset[e] + 1]++;
        }
        for (int v = 0; v < vertices; v++) {
            splatStart[v + 1] += splatStart[v];
        }
        this.splatPoint = new int[offset.length];
        this.splatWeight = new float[offset.length];
        int[] fill = Arrays.copyOf(splatStart, vertices);
        for (int e = 0; e < offset.length; e++) {
            int slot = fill[offset[e]]++;
            splatPoint[slot] = e / d1;
            splatWeight[slot] = barycentric[e];
        }
    }

    /** Points of the lattice's input. */
    public int points() {
        return points;
    }

    /** Lattice vertices in use (at most {@code points * (d + 1)}). */
    public int vertices() {
        return vertices;
    }

    /**
     * Builds the lattice of {@code points} feature vectors of dimension {@code d}.
     *
     * @param features point-major, {@code [points][d]}, in units of the Gaussian's standard deviation
     */
    public static PermutohedralLattice build(float[] features, int points, int d) {
        if (d < 1 || points < 1 || features.length != (long) points * d) {
            throw new IllegalArgumentException("features must hold points * d values with points, d >= 1; got "
                    + features.length + " values for " + points + " points of dimension " + d);
        }
        int d1 = d + 1;
        float[] scale = new float[d];
        double invStdDev = Math.sqrt(2.0 / 3.0) * d1;
        for (int i = 0; i < d; i++) {
            scale[i] = (float) (invStdDev / Math.sqrt((i + 1.0) * (i + 2.0)));
        }
        int[] canonical = new int[d1 * d1];
        for (int i = 0; i <= d; i++) {
            for (int j = 0; j <= d - i; j++) {
                canonical[i * d1 + j] = i;
            }
            for (int j = d - i + 1; j <= d; j++) {
                canonical[i * d1 + j] = i - d1;
            }
        }
        KeyTable table = new KeyTable(d, points * d1);
        int[] offset = new int[points * d1];
        float[] barycentric = new float[points * d1];
        float[] elevated = new float[d1];
        int[] rem0 = new int[d1];
        int[] rank = new int[d1];
        float[] bary = new float[d + 2];
        int[] key = new int[d];
        float downFactor = 1f / d1;
        for (int p = 0; p < points; p++) {
            int f = p * d;
            // elevate onto the hyperplane H_d (y = E f)
            float sm = 0;
            for (int j = d; j > 0; j--) {
                float cf = features[f + j - 1] * scale[j - 1];
                elevated[j] = sm - j * cf;
                sm += cf;
            }
            elevated[0] = sm;
            // the closest remainder-0 lattice point, by rounding
            int sum = 0;
            for (int i = 0; i <= d; i++) {
                int rd = Math.round(downFactor * elevated[i]);
                rem0[i] = rd * d1;
                sum += rd;
            }
            // the simplex the point lies in: rank of each coordinate's fractional part
            Arrays.fill(rank, 0);
            for (int i = 0; i < d; i++) {
                float di = elevated[i] - rem0[i];
                for (int j = i + 1; j <= d; j++) {
                    if (di < elevated[j] - rem0[j]) {
                        rank[i]++;
                    } else {
                        rank[j]++;
                    }
                }
            }
            // bring the point back onto the plane if the rounding left it (sum != 0)
            for (int i = 0; i <= d; i++) {
                rank[i] += sum;
                if (rank[i] < 0) {
                    rank[i] += d1;
                    rem0[i] += d1;
                } else if (rank[i] > d) {
                    rank[i] -= d1;
                    rem0[i] -= d1;
                }
            }
            // barycentric coordinates
            Arrays.fill(bary, 0);
            for (int i = 0; i <= d; i++) {
                float v = (elevated[i] - rem0[i]) * downFactor;
                bary[d - rank[i]] += v;
                bary[d - rank[i] + 1] -= v;
            }
            bary[0] += 1f + bary[d + 1];
            // the simplex's vertices
            for (int remainder = 0; remainder <= d; remainder++) {
                for (int i = 0; i < d; i++) {
                    key[i] = rem0[i] + canonical[remainder * d1 + rank[i]];
                }
                offset[p * d1 + remainder] = table.findOrInsert(key);
                barycentric[p * d1 + remainder] = bary[remainder];
            }
        }
        int vertices = table.size();
        int[] low = new int[d1 * vertices];
        int[] high = new int[d1 * vertices];
        int[] n1 = new int[d1];
        int[] n2 = new int[d1];
        for (int j = 0; j <= d; j++) {
            for (int v = 0; v < vertices; v++) {
                for (int k = 0; k < d; k++) {
                    int c = table.coordinate(v, k);
                    n1[k] = c - 1;
                    n2[k] = c + 1;
                }
                if (j < d) {
                    n1[j] = table.coordinate(v, j) + d;
                    n2[j] = table.coordinate(v, j) - d;
                }
                low[j * vertices + v] = table.find(n1);
                high[j * vertices + v] = table.find(n2);
            }
        }
        return new PermutohedralLattice(d, points, vertices, offset, barycentric, low, high);
    }

    /**
     * Filters {@code valueDim} values per point: {@code out[p][c] ~ sum_q exp(-|f_p - f_q|^2 / 2) in[q][c]} up to a
     * constant factor (the same for every point and value).
     *
     * @param in       point-major values, {@code [points][valueDim]}
     * @param out      receives the filtered values, {@code [points][valueDim]}; may not be {@code in}
     * @param valueDim values per point, >= 1
     */
    public void filter(float[] in, float[] out, int valueDim) {
        if (in.length != (long) points * valueDim || out.length != in.length || in == out) {
            throw new IllegalArgumentException("in and out must be two arrays of points * valueDim = "
                    + (long) points * valueDim + " values");
        }
        int d1 = d + 1;
        int vd = valueDim;
        // vertex v's values live at (v + 1) * vd; slot 0 stays zero and stands for a missing neighbour
        float[] splatted = new float[(vertices + 1) * vd];
        float[] spare = new float[(vertices + 1) * vd];
        // splat, gathered per vertex from the points that touch it, so threads write disjoint vertices
        int vertexBlocks = (vertices + BLOCK - 1) / BLOCK;
        Parallel.forEach(vertexBlocks, (long) BLOCK * (d1 * points / Math.max(1, vertices)) * vd, b -> {
            for (int v = b * BLOCK, end = Math.min(vertices, v + BLOCK); v < end; v++) {
                int o = (v + 1) * vd;
                for (int e = splatStart[v], stop = splatStart[v + 1]; e < stop; e++) {
                    int src = splatPoint[e] * vd;
                    float w = splatWeight[e];
                    for (int c = 0; c < vd; c++) {
                        splatted[o + c] += w * in[src + c];
                    }
                }
            }
        });
        float[] values = splatted;
        float[] next = spare;
        for (int j = 0; j <= d; j++) {
            int base = j * vertices;
            float[] from = values, to = next;
            Parallel.forEach(vertexBlocks, (long) BLOCK * vd * 3, b -> {
                for (int v = b * BLOCK, end = Math.min(vertices, v + BLOCK); v < end; v++) {
                    int o = (v + 1) * vd;
                    int lo = (neighbourLow[base + v] + 1) * vd;
                    int hi = (neighbourHigh[base + v] + 1) * vd;
                    for (int c = 0; c < vd; c++) {
                        to[o + c] = from[o + c] + 0.5f * (from[lo + c] + from[hi + c]);
                    }
                }
            });
            values = to;
            next = from;
        }
        float alpha = (float) (1.0 / (1.0 + Math.pow(2.0, -d)));
        float[] blurred = values;
        Parallel.forEach((points + BLOCK - 1) / BLOCK, (long) BLOCK * d1 * vd, b -> {
            for (int p = b * BLOCK, end = Math.min(points, p + BLOCK); p < end; p++) {
                int dst = p * vd;
                Arrays.fill(out, dst, dst + vd, 0f);
                for (int r = 0; r < d1; r++) {
                    int o = (offset[p * d1 + r] + 1) * vd;
                    float w = barycentric[p * d1 + r] * alpha;
                    for (int c = 0; c < vd; c++) {
                        out[dst + c] += w * blurred[o + c];
                    }
                }
            }
        });
    }

    /** Points or vertices per parallel work item. */
    private static final int BLOCK = 4096;

    /** Open-addressing hash table from integer lattice keys ({@code d} coordinates) to dense vertex indices. */
    private static final class KeyTable {
        private final int d;
        private int[] keys;
        private int[] slots;
        private int size;

        KeyTable(int d, int expected) {
            this.d = d;
            int capacity = Integer.highestOneBit(Math.max(16, expected) * 2 - 1) << 1;
            this.slots = new int[capacity];
            Arrays.fill(slots, -1);
            this.keys = new int[Math.max(16, expected / 2) * d];
        }

        int size() {
            return size;
        }

        int coordinate(int vertex, int k) {
            return keys[vertex * d + k];
        }

        private int hash(int[] key) {
            int h = 0;
            for (int k = 0; k < d; k++) {
                h = h * 2531011 + key[k];
            }
            h ^= h >>> 16;
            h *= 0x85ebca6b;
            h ^= h >>> 13;
            return h;
        }

        private boolean matches(int vertex, int[] key) {
            int base = vertex * d;
            for (int k = 0; k < d; k++) {
                if (keys[base + k] != key[k]) {
                    return false;
                }
            }
            return true;
        }

        int find(int[] key) {
            int mask = slots.length - 1;
            for (int s = hash(key) & mask; ; s = (s + 1) & mask) {
                int v = slots[s];
                if (v < 0) {
                    return -1;
                }
                if (matches(v, key)) {
                    return v;
                }
            }
        }

        int findOrInsert(int[] key) {
            if (2 * (size + 1) > slots.length) {
                grow();
            }
            int mask = slots.length - 1;
            for (int s = hash(key) & mask; ; s = (s + 1) & mask) {
                int v = slots[s];
                if (v < 0) {
                    if ((size + 1) * d > keys.length) {
                        keys = Arrays.copyOf(keys, Math.max(keys.length * 2, (size + 1) * d));
                    }
                    System.arraycopy(key, 0, keys, size * d, d);
                    slots[s] = size;
                    return size++;
                }
                if (matches(v, key)) {
                    return v;
                }
            }
        }

        private void grow() {
            int[] old = slots;
            slots = new int[old.length * 2];
            Arrays.fill(slots, -1);
            int mask = slots.length - 1;
            int[] key = new int[d];
            for (int v : old) {
                if (v >= 0) {
                    System.arraycopy(keys, v * d, key, 0, d);
                    int s = hash(key) & mask;
                    while (slots[s] >= 0) {
                        s = (s + 1) & mask;
                    }
                    slots[s] = v;
                }
            }
        }
    }
}
