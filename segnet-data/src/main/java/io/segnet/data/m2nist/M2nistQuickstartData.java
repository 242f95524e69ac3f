package io.segnet.data.m2nist;

/**
 * The M2NIST data of the quickstart ({@code segnet quickstart}, {@code segnet train} without a data section): 4000
 * training and 1000 held-out validation images generated with seed 42, normalised per pixel with {@link #MEAN} and
 * {@link #STD}.
 */
public final class M2nistQuickstartData {

    /** Mean of M2NIST's pixels (images in [0, 1]; measured on 4000 images). */
    public static final double MEAN = 0.04;
    /** Standard deviation of M2NIST's pixels; see {@link #MEAN}. */
    public static final double STD = 0.18;
    /** Training images generated for the quickstart. */
    public static final int TRAIN = 4000;
    /** Held-out validation images generated for the quickstart. */
    public static final int VALIDATION = 1000;
    /** Generation and split seed of the quickstart. */
    public static final long SEED = 42;

    private M2nistQuickstartData() {
    }
}
