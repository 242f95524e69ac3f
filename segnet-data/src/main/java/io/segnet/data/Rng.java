package io.segnet.data;

/**
 * A small, fully specified pseudo-random generator (SplitMix64, Steele, Lea and Flood 2014) used for
 * every random choice in segnet-data, so that results depend only on the seed and never on the JDK
 * version or on thread timing.
 *
 * <p>Seeds are derived from a base seed and any number of stream numbers with {@link #of(long, long...)},
 * for example {@code Rng.of(seed, epoch, sampleIndex)}: each (seed, epoch, index) gets its own
 * independent sequence, which is what makes augmentation reproducible regardless of which worker
 * thread handles which sample. Not thread-safe: use one instance per task.
 */
public final class Rng {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    private Rng(long state) {
        this.state = state;
    }

    /** A generator whose sequence is a function of {@code seed} and the stream numbers, in order. */
    public static Rng of(long seed, long... streams) {
        long s = mix(seed);
        for (long stream : streams) {
            s = mix(s ^ mix(stream + GOLDEN_GAMMA));
        }
        return new Rng(s);
    }

    /** The SplitMix64 finaliser: a bijective 64-bit mix with good avalanche. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Next 64 random bits. */
    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    /** Uniform in {@code [0, bound)}, without modulo bias. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long limit = (1L << 32) - ((1L << 32) % bound);
        while (true) {
            long r = nextLong() >>> 32;
            if (r < limit) {
                return (int) (r % bound);
            }
        }
    }

    /** Uniform in {@code [lo, hi]} (both inclusive). */
    public int nextInt(int lo, int hi) {
        if (hi < lo) {
            throw new IllegalArgumentException("empty range [" + lo + ", " + hi + "]");
        }
        return lo + nextInt(hi - lo + 1);
    }

    /** Uniform in {@code [0, 1)} with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in {@code [lo, hi)}; returns {@code lo} when the range is empty. */
    public double uniform(double lo, double hi) {
        return lo + (hi - lo) * nextDouble();
    }

    /**
     * Standard normal, N(0, 1), by the Box-Muller transform of two uniform draws:
     * {@code sqrt(-2 ln u1) * cos(2 pi u2)} with {@code u1} in {@code (0, 1]}. Always draws exactly two numbers (the
     * transform's second normal is not kept, so the generator has no hidden state), and uses {@link StrictMath}, so
     * the values are the same on every JDK and platform.
     */
    public double nextGaussian() {
        double u1 = 1 - nextDouble();
        double u2 = nextDouble();
        return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * StrictMath.PI * u2);
    }

    /** True with probability {@code p}. Always draws one number, so the sequence does not depend on p. */
    public boolean bernoulli(double p) {
        return nextDouble() < p;
    }

    /** Fisher-Yates shuffle in place. */
    public void shuffle(int[] values) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }

    /** A random permutation of {@code 0..n-1}. */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p);
        return p;
    }
}
