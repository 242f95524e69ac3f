package io.segnet.core.testutil;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Array comparisons with relative tolerances. */
public final class Assertions {
    private Assertions() {
    }

    /**
     * Asserts equal shapes and {@code |a - e| <= rel * max(|e|, scaleFloor)} elementwise, where {@code scaleFloor} is
     * the expected array's max magnitude times 1e-2 (so that near-zero entries of a large tensor are compared at the
     * tensor's scale, as float32 arithmetic warrants).
     */
    public static void assertClose(INDArray expected, INDArray actual, double rel, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] a = actual.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double maxAbs = 0;
        for (double v : e) {
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
        double floor = Math.max(maxAbs * 1e-2, 1e-12);
        for (int i = 0; i < e.length; i++) {
            double tol = rel * Math.max(Math.abs(e[i]), floor);
            if (!(Math.abs(e[i] - a[i]) <= tol)) {
                fail(what + ": element " + i + " of shape " + Arrays.toString(expected.shape()) + " is " + a[i]
                        + ", expected " + e[i] + " (tolerance " + tol + ")");
            }
        }
    }
}
