package io.segnet.data.source;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.segnet.data.SampleSource;

/**
 * Where a training run's images come from, as data: read from settings files with Jackson under a {@code type} tag
 * ({@code m2nist}, {@code membrane} or {@code folder}), validated on construction with messages that name the
 * setting to change.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = M2nistSource.class, name = "m2nist"),
        @JsonSubTypes.Type(value = MembraneSource.class, name = "membrane"),
        @JsonSubTypes.Type(value = FolderSource.class, name = "folder")})
public sealed interface DataSource permits M2nistSource, MembraneSource, FolderSource {

    /** The split seed of sources whose settings leave it out. */
    long DEFAULT_SEED = 42;

    /** The type tags, in the order of the permitted records. */
    java.util.List<String> TYPES = java.util.List.of("m2nist", "membrane", "folder");

    /**
     * The training and validation samples of an opened data source.
     *
     * @param train      the training samples
     * @param validation the validation samples, or null when the source holds none back
     */
    record Parts(SampleSource train, SampleSource validation) {
        /** Requires the training samples. */
        public Parts {
            java.util.Objects.requireNonNull(train, "train");
        }
    }

    /** The seed of generation and of the training/validation split. */
    long seed();

    /** This source with another seed. */
    DataSource withSeed(long seed);

    /**
     * Generates, lists or loads the samples (decoding happens on demand).
     *
     * @throws io.segnet.data.DataException naming the file or folder for unusable data
     */
    Parts open();

    /** A short description for model cards, e.g. {@code m2nist seed=42 train=4000 validation=1000}. */
    String fingerprint();

    /**
     * Where the validation images come from, for messages: {@link #fingerprint()}, unless the source has validation
     * folders of its own.
     */
    default String validationOrigin() {
        return fingerprint();
    }
}
