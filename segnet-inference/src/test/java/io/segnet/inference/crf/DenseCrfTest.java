package io.segnet.inference.crf;

import com.fasterxml.jackson.databind.JsonNode;
import io.segnet.common.json.JsonMappers;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DenseCrf} against {@code make_crf_goldens.py}: the same mean-field update with exact (brute-force) Gaussian
 * kernel sums. The permutohedral lattice approximates those sums, so the refined probabilities differ by a bounded
 * amount (measured: at most 0.014, 0.0022 on average, on the smoothness-only case; 0.003 and 0.0001 with both
 * kernels) and the labels agree on every pixel, while the exact update changes 21-35% of the input's labels.
 */
class DenseCrfTest {
    /** Largest difference of a refined probability from the exact update that the lattice may make. */
    static final double MAX_PROBABILITY_ERROR = 0.03;
    /** Mean absolute difference of refined probabilities, at most. */
    static final double MEAN_PROBABILITY_ERROR = 0.005;
    /** Share of pixels whose refined label equals the exact update's, at least. */
    static final double LABEL_AGREEMENT = 0.99;

    static JsonNode goldens() throws IOException {
        try (InputStream in = DenseCrfTest.class.getResourceAsStream("/crf/dense_crf_goldens.json")) {
            return JsonMappers.JSON.readTree(in);
        }
    }

    static float[] floats(JsonNode array) {
        float[] a = new float[array.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) array.get(i).asDouble();
        }
        return a;
    }

    static DenseCrfConfig config(JsonNode c) {
        return new DenseCrfConfig(c.get("iterations").asInt(), c.get("appearanceWeight").asDouble(),
                c.get("thetaAlpha").asDouble(), c.get("thetaBeta").asDouble(), c.get("smoothnessWeight").asDouble(),
                c.get("thetaGamma").asDouble());
    }

    @Test
    void matchesTheExactMeanFieldUpdateWithinTheLatticesApproximation() throws IOException {
        for (JsonNode g : goldens()) {
            int h = g.get("height").asInt(), w = g.get("width").asInt(), k = g.get("classes").asInt();
            float[] refined = new DenseCrf(config(g.get("config"))).refine(floats(g.get("probabilities")), k, h, w,
                    floats(g.get("image")), g.get("channels").asInt());
            float[] exact = floats(g.get("refined"));
            double max = 0, sum = 0;
            for (int i = 0; i < exact.length; i++) {
                double e = Math.abs(refined[i] - exact[i]);
                max = Math.max(max, e);
                sum += e;
            }
            int[] got = DenseCrf.labels(refined, k, h * w);
            int[] want = DenseCrf.labels(exact, k, h * w);
            int same = 0;
            for (int i = 0; i < got.length; i++) {
                same += got[i] == want[i] ? 1 : 0;
            }
            String name = g.get("name").asText();
            assertTrue(max <= MAX_PROBABILITY_ERROR, name + ": max error " + max);
            assertTrue(sum / exact.length <= MEAN_PROBABILITY_ERROR, name + ": mean error " + sum / exact.length);
            assertTrue(same >= LABEL_AGREEMENT * got.length, name + ": labels agree on " + same + " of " + got.length);
            // and the CRF does something: it changes labels of the noisy input towards the regions
            int[] before = DenseCrf.labels(floats(g.get("probabilities")), k, h * w);
            int changed = 0;
            for (int i = 0; i < got.length; i++) {
                changed += got[i] != before[i] ? 1 : 0;
            }
            assertTrue(changed > 0, name + ": the CRF changed no label");
        }
    }

    @Test
    void aCertainPixelKeepsItsClass() {
        int h = 16, w = 16, k = 3, n = h * w;
        float[] p = new float[k * n];
        float[] image = new float[3 * n];
        for (int i = 0; i < n; i++) {
            p[i] = 0.8f;                // class 0 likely everywhere ...
            p[n + i] = 0.1f;
            p[2 * n + i] = 0.1f;
            image[i] = image[n + i] = image[2 * n + i] = 128;
        }
        int certain = 5 * w + 7;        // ... except one pixel certain of class 2, in an image without edges
        p[certain] = 0;
        p[n + certain] = 0;
        p[2 * n + certain] = 1;
        float[] refined = new DenseCrf(new DenseCrfConfig(10, 50, 80, 13, 50, 3)).refine(p, k, h, w, image, 3);
        int[] labels = DenseCrf.labels(refined, k, n);
        assertEquals(2, labels[certain], "a certain unary is never overruled");
        assertEquals(1f, refined[2 * n + certain], 0f);
        assertEquals(0, labels[certain + 1], "its neighbours follow the rest");
    }

    @Test
    void isDeterministicAndSafeFromSeveralThreads() throws Exception {
        JsonNode g = goldens().get(0);
        int h = g.get("height").asInt(), w = g.get("width").asInt(), k = g.get("classes").asInt();
        float[] probs = floats(g.get("probabilities"));
        float[] image = floats(g.get("image"));
        DenseCrf crf = new DenseCrf(config(g.get("config")));
        float[] once = crf.refine(probs, k, h, w, image, 3);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> runs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                runs.add(pool.submit(() -> crf.refine(probs, k, h, w, image, 3)));
            }
            for (Future<float[]> r : runs) {
                assertArrayEquals(once, r.get());
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void badSettingsAndShapesAreRefusedNamingTheFlag() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DenseCrfConfig(0, 10, 80, 13, 3, 3));
        assertTrue(e.getMessage().contains("--crf-iterations"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new DenseCrfConfig(5, 10, 0, 13, 3, 3));
        assertTrue(e.getMessage().contains("--crf-theta-alpha"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DenseCrf(DenseCrfConfig.defaults())
                .refine(new float[12], 3, 2, 2, new float[11], 3));
    }
}
