package io.segnet.data.dataset;

import io.segnet.data.Sample;
import io.segnet.data.SampleSource;

import java.util.Arrays;

/**
 * Pixel counts per class over the masks of a data set, counted in one pass (each sample's ignore value left out), and
 * the median-frequency class weights of Eigen and Fergus 2015 that SegNet (Badrinarayanan et al. 2017) trains with:
 * {@code freq_c = pixels of class c / pixels of the images where c is present}, {@code w_c = median_c(freq) / freq_c},
 * the median taken over the classes present; a class absent from every mask gets weight 0.
 *
 * @param pixels        pixels of each class
 * @param presentPixels the non-ignored pixels of the images in which each class occurs
 */
public record ClassFrequencies(long[] pixels, long[] presentPixels) {

    /** Requires two arrays of the same length (one entry per class). */
    public ClassFrequencies {
        if (pixels.length != presentPixels.length) {
            throw new IllegalArgumentException("pixels and presentPixels need one entry per class, got "
                    + pixels.length + " and " + presentPixels.length);
        }
        pixels = pixels.clone();
        presentPixels = presentPixels.clone();
    }

    /**
     * Counts the masks of every sample of {@code source} (one read of each sample).
     *
     * @throws IllegalArgumentException naming the sample whose mask is missing or holds a value outside the classes
     */
    public static ClassFrequencies count(SampleSource source) {
        int k = source.numClasses();
        long[] pixels = new long[k], present = new long[k];
        long[] here = new long[k];
        for (int i = 0; i < source.size(); i++) {
            Sample s = source.get(i);
            if (s.mask() == null) {
                throw new IllegalArgumentException("sample '" + s.id() + "' has no mask; class frequencies need the"
                        + " training masks");
            }
            Arrays.fill(here, 0);
            long valid = 0;
            for (int v : s.mask()) {
                if (v == s.ignoreValue()) {
                    continue;
                }
                if (v < 0 || v >= k) {
                    throw new IllegalArgumentException("mask of sample '" + s.id() + "' holds " + v + ", not a class"
                            + " in [0, " + k + ") nor the ignore value " + s.ignoreValue());
                }
                here[v]++;
                valid++;
            }
            for (int c = 0; c < k; c++) {
                if (here[c] > 0) {
                    pixels[c] += here[c];
                    present[c] += valid;
                }
            }
        }
        return new ClassFrequencies(pixels, present);
    }

    @Override
    public long[] pixels() {
        return pixels.clone();
    }

    @Override
    public long[] presentPixels() {
        return presentPixels.clone();
    }

    /** {@code freq_c}, 0 for a class that never occurs. */
    public double frequency(int c) {
        return pixels[c] == 0 ? 0.0 : (double) pixels[c] / presentPixels[c];
    }

    /** The share of all non-ignored pixels that class c covers. */
    public double share(int c) {
        long total = Arrays.stream(pixels).sum();
        return total == 0 ? 0.0 : (double) pixels[c] / total;
    }

    /** The classes that never occur. */
    public int[] absentClasses() {
        return java.util.stream.IntStream.range(0, pixels.length).filter(c -> pixels[c] == 0).toArray();
    }

    /**
     * {@code median(freq) / freq_c} for every class (the median over the classes present, the mean of the middle two
     * for an even count), 0 for absent classes.
     *
     * @throws IllegalArgumentException if no class occurs at all
     */
    public double[] medianFrequencyWeights() {
        double[] present = java.util.stream.IntStream.range(0, pixels.length).filter(c -> pixels[c] > 0)
                .mapToDouble(this::frequency).sorted().toArray();
        if (present.length == 0) {
            throw new IllegalArgumentException("the masks hold no labelled pixel (all ignored?); median-frequency"
                    + " weights need labelled pixels");
        }
        int m = present.length;
        double median = m % 2 == 1 ? present[m / 2] : (present[m / 2 - 1] + present[m / 2]) / 2;
        double[] w = new double[pixels.length];
        for (int c = 0; c < w.length; c++) {
            w[c] = pixels[c] == 0 ? 0.0 : median / frequency(c);
        }
        return w;
    }
}
