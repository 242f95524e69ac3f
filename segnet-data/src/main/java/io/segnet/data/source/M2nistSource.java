package io.segnet.data.source;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.segnet.data.SampleSource;
import io.segnet.data.dataset.Split;
import io.segnet.data.m2nist.M2nistGenerator;
import io.segnet.data.m2nist.M2nistQuickstartData;

/**
 * M2NIST generated from the bundled MNIST digits ({@code type: m2nist}): {@code train} and {@code validation}
 * images from disjoint digit pools, reproducible from {@code seed}. Fields left out of a settings file take the
 * quickstart's values ({@link M2nistQuickstartData}).
 *
 * @param train      training images, at least 1 ({@code data.train}, {@code --m2nist-train}; 4000)
 * @param validation validation images, 0 for none ({@code data.validation}, {@code --m2nist-validation}; 1000)
 * @param seed       generation seed ({@code data.seed}, {@code --seed}; 42)
 */
public record M2nistSource(int train, int validation, long seed) implements DataSource {

    /** Checks the counts. */
    public M2nistSource {
        if (train < 1 || validation < 0) {
            throw new IllegalArgumentException("m2nist needs train >= 1 and validation >= 0 images, got train "
                    + train + " and validation " + validation + " (data.train/data.validation, --m2nist-train/"
                    + "--m2nist-validation)");
        }
    }

    /** Reads a settings file's fields; those left out take the quickstart's values. */
    @JsonCreator
    static M2nistSource fromSettings(@JsonProperty("train") Integer train,
                                     @JsonProperty("validation") Integer validation,
                                     @JsonProperty("seed") Long seed) {
        return new M2nistSource(train == null ? M2nistQuickstartData.TRAIN : train,
                validation == null ? M2nistQuickstartData.VALIDATION : validation,
                seed == null ? M2nistQuickstartData.SEED : seed);
    }

    /** The quickstart's M2NIST: 4000 training and 1000 validation images, seed 42. */
    public static M2nistSource quickstart() {
        return new M2nistSource(M2nistQuickstartData.TRAIN, M2nistQuickstartData.VALIDATION,
                M2nistQuickstartData.SEED);
    }

    @Override
    public M2nistSource withSeed(long newSeed) {
        return new M2nistSource(train, validation, newSeed);
    }

    @Override
    public Parts open() {
        Split<M2nistGenerator> s = M2nistGenerator.split(seed, train, Math.max(validation, 1));
        SampleSource va = validation > 0 ? s.validation() : null;
        return new Parts(s.train(), va);
    }

    @Override
    public String fingerprint() {
        return "m2nist seed=" + seed + " train=" + train + " validation=" + validation;
    }
}
