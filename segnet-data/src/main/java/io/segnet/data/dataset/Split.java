package io.segnet.data.dataset;

import io.segnet.data.SampleSource;

import java.util.Objects;

/**
 * A training and a validation part of one data set, disjoint.
 *
 * @param train      the samples to train on
 * @param validation the held-out samples
 * @param <T>        the source type of both parts
 */
public record Split<T extends SampleSource>(T train, T validation) {

    /** Requires both parts. */
    public Split {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(validation, "validation");
    }
}
