package io.segnet.data.transform;

import io.segnet.data.Rng;
import io.segnet.data.Sample;

/**
 * A change to a sample that keeps image and mask aligned: geometric transforms move image pixels
 * (bilinear) and mask pixels (nearest-neighbour) by the same map, photometric transforms touch only the
 * image.
 *
 * <p>All randomness comes from the {@link Rng} passed in, and each transform draws the same count of
 * numbers whatever it decides, so a pipeline given {@code Rng.of(seed, epoch, index)} produces the same
 * output for the same sample on any thread. Implementations never modify the input sample's arrays.
 */
@FunctionalInterface
public interface Transform {

    /**
     * Transforms one sample.
     *
     * @param sample the input, not modified
     * @param rng    the source of every random choice
     * @return the transformed sample (possibly {@code sample} itself when nothing changes)
     */
    Sample apply(Sample sample, Rng rng);

    /** Applies this transform with the generator {@code Rng.of(seed, streams...)}. */
    default Sample apply(Sample sample, long seed, long... streams) {
        return apply(sample, Rng.of(seed, streams));
    }
}
