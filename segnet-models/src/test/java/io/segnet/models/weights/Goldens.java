package io.segnet.models.weights;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The golden files of src/test/resources/weights (written by src/test/python/make_weight_goldens.py). */
final class Goldens {
    private Goldens() {
    }

    static Path file(String name) {
        try {
            return Path.of(Goldens.class.getResource("/weights/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("golden file weights/" + name + " is missing; run"
                    + " src/test/python/make_weight_goldens.py", e);
        }
    }

    static StateDict read(String name) throws IOException {
        return StateDict.read(file(name));
    }

    /** Asserts {@code actual} equals {@code expected} in shape and to {@code rel} of expected's largest magnitude. */
    static void assertClose(String what, INDArray expected, INDArray actual, double rel) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double scale = expected.amaxNumber().doubleValue();
        double err = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(err <= rel * scale, what + ": max |error| " + err + " > " + rel + " x max |expected| " + scale
                + " (shape " + Arrays.toString(expected.shape()) + ")");
    }
}
