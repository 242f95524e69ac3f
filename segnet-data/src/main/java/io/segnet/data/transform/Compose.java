package io.segnet.data.transform;

import io.segnet.data.Rng;
import io.segnet.data.Sample;

import java.util.List;

/**
 * Transforms applied in order, sharing one random generator. {@code Compose.of()} with no transforms is the
 * identity.
 *
 * <pre>{@code
 * Transform train = Compose.of(RandomFlip.horizontal(0.5), RandomFlip.vertical(0.5),
 *         new RandomScaleCrop(0.5, 1.0, 256, 256), RandomRotation.degrees(15),
 *         new ColorJitter(0.2, 0.2, 0.0), Normalize.of(0.5f, 0.25f));
 * Sample out = train.apply(sample, seed, epoch, index);
 * }</pre>
 *
 * @param transforms the transforms, first applied first
 */
public record Compose(List<Transform> transforms) implements Transform {

    /** Copies the list. */
    public Compose {
        transforms = List.copyOf(transforms);
    }

    /** The transforms in application order. */
    public static Compose of(Transform... transforms) {
        return new Compose(List.of(transforms));
    }

    @Override
    public Sample apply(Sample sample, Rng rng) {
        Sample s = sample;
        for (Transform t : transforms) {
            s = t.apply(s, rng);
        }
        return s;
    }
}
