package io.segnet.models;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The versions recorded in model cards: segnet's (from the build) and DL4J's (from its jar's Maven metadata). */
public final class Versions {
    private static final String SEGNET = read("/io/segnet/models/segnet-models.properties", "segnet");
    private static final String DL4J = read("/META-INF/maven/org.deeplearning4j/deeplearning4j-nn/pom.properties",
            "DL4J");

    private Versions() {
    }

    /** segnet's version, e.g. {@code 0.1.0}. */
    public static String segnet() {
        return SEGNET;
    }

    /** DL4J's version, e.g. {@code 1.0.0-M2.1}. */
    public static String dl4j() {
        return DL4J;
    }

    private static String read(String resource, String what) {
        try (InputStream in = Versions.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the " + what + " version resource " + resource + " is missing from"
                        + " the class path; rebuild segnet-models with Maven");
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version");
            if (v == null || v.isBlank() || v.contains("${")) {
                throw new IllegalStateException("the " + what + " version in " + resource + " is not set (" + v
                        + "); rebuild segnet-models with Maven (resource filtering fills it in)");
            }
            return v;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource + ": " + e.getMessage(), e);
        }
    }
}
