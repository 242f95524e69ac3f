package io.segnet.models;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Provenance stored with every saved model ({@code model-card.json}): the segnet and DL4J versions that built it, the
 * seed of its initialisation, a fingerprint of the data it was trained on and its evaluation metrics.
 *
 * @param format          file format tag, {@value #FORMAT}
 * @param segnetVersion   segnet version that created the model
 * @param dl4jVersion     DL4J version that created the model
 * @param seed            seed of the weight initialisation
 * @param dataFingerprint fingerprint of the training data (as the data pipeline reports it), or {@code null} if
 *                        not recorded
 * @param metrics         evaluation metrics by name (e.g. {@code "mIoU"}), possibly empty
 * @param created         when the model was created, ISO-8601 UTC
 */
public record ModelCard(String format, String segnetVersion, String dl4jVersion, long seed, String dataFingerprint,
                        Map<String, Double> metrics, String created) {

    /** The current format tag. */
    public static final String FORMAT = "segnet-model/1";

    public ModelCard {
        Objects.requireNonNull(format, "ModelCard: format is missing");
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("ModelCard: format '" + format + "' is not supported by this segnet"
                    + " (reads " + FORMAT + "); load the model with the segnet version that saved it");
        }
        Objects.requireNonNull(segnetVersion, "ModelCard: segnetVersion is missing");
        Objects.requireNonNull(dl4jVersion, "ModelCard: dl4jVersion is missing");
        metrics = metrics == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(metrics));
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            if (e.getValue() == null) {
                throw new IllegalArgumentException("ModelCard: metric '" + e.getKey() + "' has no value");
            }
        }
    }

    /** A card for a model created now with {@code seed}, by this segnet and DL4J. */
    public static ModelCard create(long seed) {
        return new ModelCard(FORMAT, Versions.segnet(), Versions.dl4j(), seed, null, Map.of(),
                Instant.now().toString());
    }

    /** This card with the training data's fingerprint. */
    public ModelCard withDataFingerprint(String fingerprint) {
        return new ModelCard(format, segnetVersion, dl4jVersion, seed, fingerprint, metrics, created);
    }

    /** This card with metric {@code name} set to {@code value}. */
    public ModelCard withMetric(String name, double value) {
        Map<String, Double> m = new TreeMap<>(metrics);
        m.put(Objects.requireNonNull(name, "metric name"), value);
        return new ModelCard(format, segnetVersion, dl4jVersion, seed, dataFingerprint, m, created);
    }
}
