package io.segnet.train;

import io.segnet.data.SampleSource;
import io.segnet.data.transform.Compose;
import io.segnet.data.transform.ElasticDeformation;
import io.segnet.data.transform.PadToMultiple;
import io.segnet.data.transform.RandomFlip;
import io.segnet.data.transform.RandomRotation;
import io.segnet.data.transform.RandomScaleCrop;
import io.segnet.data.transform.Transform;
import io.segnet.inference.Preprocessing;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The data of a training run: the training samples with their augmentation, the validation samples (optional), the
 * preprocessing both share (and prediction repeats), and a description for the run's {@code config.yaml}.
 *
 * <p>Training batches are {@code preprocessing(augmentation(sample))}; validation batches are
 * {@code preprocessing(sample)}, padded at the bottom and right to a size the model accepts (padded pixels are
 * ignored in the metrics). Padding is one rule everywhere (training, validation, evaluation, prediction): normalise
 * first, then pad (or fill) the image with 0, so padded pixels hold the normalisation mean; the geometric transforms
 * at the end of the augmentation (flips, rotations, crops, padding) therefore run after the preprocessing.
 * Augmentation must yield samples of one size per batch (use a crop).
 *
 * @param train         training samples, at least one
 * @param augmentation  random training transforms (flips, crops, ...), or null for none
 * @param validation    validation samples, or null to train without validation (then no {@code best.zip}, no early
 *                      stopping)
 * @param preprocessing deterministic preprocessing of every image
 * @param fingerprint   a short description of the data for the model card (e.g.
 *                      {@code "m2nist seed=42 train=4000"}), or null
 * @param description   the data settings to record in {@code config.yaml} (any Jackson-serialisable value), or null
 */
public record TrainingData(SampleSource train, Transform augmentation, SampleSource validation,
                           Preprocessing preprocessing, String fingerprint, Object description) {

    /** Checks that the parts fit together. */
    public TrainingData {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(preprocessing, "preprocessing (Preprocessing.none() for none)");
        if (train.size() == 0) {
            throw new IllegalArgumentException("the training set is empty");
        }
        if (validation != null) {
            if (validation.size() == 0) {
                throw new IllegalArgumentException("the validation set is empty; pass null to train without"
                        + " validation");
            }
            if (validation.numClasses() != train.numClasses()) {
                throw new IllegalArgumentException("the training set has " + train.numClasses() + " classes and the"
                        + " validation set " + validation.numClasses() + "; both must describe the same classes");
            }
        }
    }

    /** Training and validation data with the given transforms, no description. */
    public static TrainingData of(SampleSource train, Transform augmentation, SampleSource validation,
                                  Preprocessing preprocessing) {
        return new TrainingData(train, augmentation, validation, preprocessing, null, null);
    }

    /** This data with a fingerprint and a description. */
    public TrainingData describedAs(String newFingerprint, Object newDescription) {
        return new TrainingData(train, augmentation, validation, preprocessing, newFingerprint, newDescription);
    }

    /**
     * The transform of training samples: augmentation, then preprocessing, except that the geometric transforms at
     * the end of the augmentation ({@link RandomFlip}, {@link RandomRotation}, {@link ElasticDeformation},
     * {@link RandomScaleCrop}, {@link PadToMultiple}) run after the preprocessing, so the pixels they pad or fill are 0
     * after normalisation, as in validation and prediction. (Flips, rotations, deformations and scaling interpolate
     * with weights that sum to 1, so they commute with the per-channel normalisation away from the filled pixels and
     * this changes nothing else.)
     */
    public Transform trainTransform() {
        Transform p = preprocessing.transform();
        if (augmentation == null) {
            return p;
        }
        if (p == null) {
            return augmentation;
        }
        List<Transform> steps = augmentation instanceof Compose c ? c.transforms() : List.of(augmentation);
        int tail = steps.size();
        while (tail > 0 && pads(steps.get(tail - 1))) {
            tail--;
        }
        List<Transform> ordered = new ArrayList<>(steps.subList(0, tail));
        ordered.add(p);
        ordered.addAll(steps.subList(tail, steps.size()));
        return ordered.size() == 1 ? p : new Compose(ordered);
    }

    private static boolean pads(Transform t) {
        return t instanceof PadToMultiple || t instanceof RandomScaleCrop || t instanceof RandomRotation
                || t instanceof ElasticDeformation || t instanceof RandomFlip;
    }
}
