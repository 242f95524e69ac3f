package io.segnet.data.transform;

import io.segnet.data.Rng;
import io.segnet.data.Sample;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ElasticDeformationTest {

    /** Two channels of noise and a mask of classes 0..4. */
    private static Sample noise(int h, int w, long seed) {
        Rng rng = Rng.of(seed);
        float[] img = new float[2 * h * w];
        int[] mask = new int[h * w];
        for (int i = 0; i < img.length; i++) {
            img[i] = (float) rng.nextDouble();
        }
        for (int i = 0; i < mask.length; i++) {
            mask[i] = rng.nextInt(5);
        }
        return Sample.of("noise", 2, h, w, img, mask);
    }

    /** Channel 0 holds x, channel 1 holds y: the deformed image shows where each pixel was read from. */
    private static Sample ramps(int h, int w) {
        float[] img = new float[2 * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img[y * w + x] = x;
                img[h * w + y * w + x] = y;
            }
        }
        return Sample.of("ramps", 2, h, w, img, new int[h * w]);
    }

    private static double[] gaussians(int n, double sigma, long seed) {
        Rng rng = Rng.of(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = sigma * rng.nextGaussian();
        }
        return v;
    }

    /** Keys' cubic convolution kernel for a = -0.5, from its definition (not the taps' polynomials). */
    private static double keys(double s) {
        double a = -0.5;
        double t = Math.abs(s);
        if (t <= 1) {
            return (a + 2) * t * t * t - (a + 3) * t * t + 1;
        }
        if (t < 2) {
            return a * t * t * t - 5 * a * t * t + 8 * a * t - 4 * a;
        }
        return 0;
    }

    @Test
    void zeroDisplacementsAreTheIdentityExactly() {
        Sample s = noise(11, 14, 1);
        double[] zero = new double[9];
        assertEquals(s, ElasticDeformation.deform(s, 3, zero, zero, 0f));
        assertEquals(s, new ElasticDeformation(0, 3, 1.0, 0f).apply(s, Rng.of(2)));
        assertSame(s, new ElasticDeformation(10, 3, 0.0, 0f).apply(s, Rng.of(2)), "probability 0 changes nothing");
    }

    @Test
    void aConstantDisplacementIsAShift() {
        Sample s = noise(12, 15, 3);
        int dx = 2;
        int dy = -3;
        for (int grid : new int[]{2, 3, 5}) {
            double[] gx = new double[grid * grid];
            double[] gy = new double[grid * grid];
            Arrays.fill(gx, dx);
            Arrays.fill(gy, dy);
            Sample out = ElasticDeformation.deform(s, grid, gx, gy, 0.5f);
            for (int y = 0; y < 12; y++) {
                for (int x = 0; x < 15; x++) {
                    int sx = x + dx;
                    int sy = y + dy;
                    boolean inside = sx >= 0 && sx < 15 && sy >= 0 && sy < 12;
                    for (int c = 0; c < 2; c++) {
                        float expected = inside ? s.image()[c * 180 + sy * 15 + sx] : 0.5f;
                        assertEquals(expected, out.image()[c * 180 + y * 15 + x], 1e-6, "grid " + grid + " (" + x
                                + ", " + y + ") channel " + c);
                    }
                    assertEquals(inside ? s.mask()[sy * 15 + sx] : 255, out.mask()[y * 15 + x]);
                }
            }
        }
    }

    @Test
    void theFieldPassesThroughTheControlVectorsAtTheControlPoints() {
        int h = 9;
        int w = 13;
        for (int grid : new int[]{2, 3, 5}) {
            double[] gx = gaussians(grid * grid, 10, grid);
            double[] gy = gaussians(grid * grid, 10, grid + 100);
            double[][] field = ElasticDeformation.field(h, w, grid, gx, gy);
            for (int j = 0; j < grid; j++) {
                for (int i = 0; i < grid; i++) {
                    // (w - 1) and (h - 1) are multiples of grid - 1, so the control points sit on pixels
                    int x = i * (w - 1) / (grid - 1);
                    int y = j * (h - 1) / (grid - 1);
                    assertEquals(gx[j * grid + i], field[0][y * w + x], 0.0, "grid " + grid + " point " + i + "," + j);
                    assertEquals(gy[j * grid + i], field[1][y * w + x], 0.0);
                }
            }
        }
    }

    @Test
    void theFieldIsKeysBicubicInterpolationWithEdgeControlPointsRepeated() {
        int h = 17;
        int w = 23;
        for (int grid : new int[]{2, 3, 4}) {
            double[] gx = gaussians(grid * grid, 5, 7 * grid);
            double[] gy = gaussians(grid * grid, 5, 7 * grid + 1);
            double[][] field = ElasticDeformation.field(h, w, grid, gx, gy);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double u = x * (grid - 1.0) / (w - 1);
                    double v = y * (grid - 1.0) / (h - 1);
                    double ex = 0;
                    double ey = 0;
                    // every control point within reach, the grid extended by repeating its edges
                    for (int j = -2; j <= grid + 1; j++) {
                        for (int i = -2; i <= grid + 1; i++) {
                            double k = keys(u - i) * keys(v - j);
                            int c = Math.min(Math.max(j, 0), grid - 1) * grid + Math.min(Math.max(i, 0), grid - 1);
                            ex += k * gx[c];
                            ey += k * gy[c];
                        }
                    }
                    assertEquals(ex, field[0][y * w + x], 1e-9, "grid " + grid + " (" + x + ", " + y + ")");
                    assertEquals(ey, field[1][y * w + x], 1e-9);
                }
            }
        }
        // by hand: halfway between control points 1 and 2 of four, Catmull-Rom gives (-c0 + 9 c1 + 9 c2 - c3) / 16
        double[] row = {1, 2, 4, 8};
        double[] gx = new double[16];
        for (int j = 0; j < 4; j++) {
            System.arraycopy(row, 0, gx, 4 * j, 4);
        }
        double[][] field = ElasticDeformation.field(4, 7, 4, gx, new double[16]);
        assertEquals((-1 + 9 * 2 + 9 * 4 - 8) / 16.0, field[0][3], 1e-12);
        assertEquals(2, field[0][2], 0.0);
    }

    @Test
    void aDeformedRampReadsEachPixelFromItsDisplacedPosition() {
        int h = 40;
        int w = 48;
        Sample s = ramps(h, w);
        double[] gx = gaussians(9, 3, 11);
        double[] gy = gaussians(9, 3, 12);
        Sample out = ElasticDeformation.deform(s, 3, gx, gy, -1f);
        double[][] field = ElasticDeformation.field(h, w, 3, gx, gy);
        int checked = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = y * w + x;
                double sx = x + field[0][o];
                double sy = y + field[1][o];
                if (sx >= 0 && sx <= w - 1 && sy >= 0 && sy <= h - 1) {
                    assertEquals(sx, out.image()[o], 1e-4, "x at (" + x + ", " + y + ")");
                    assertEquals(sy, out.image()[h * w + o], 1e-4, "y at (" + x + ", " + y + ")");
                    checked++;
                } else if (sx < -0.5 || sx >= w - 0.5 || sy < -0.5 || sy >= h - 0.5) {
                    assertEquals(-1f, out.image()[o], "outside the input: the fill");
                    assertEquals(255, out.mask()[o]);
                }
            }
        }
        assertTrue(checked > h * w / 2, "checked " + checked);
        assertTrue(Arrays.stream(field[0]).anyMatch(d -> Math.abs(d) > 1), "the grid must move pixels");
    }

    @Test
    void masksKeepTheirClassesAndStayAlignedWithTheImage() {
        Sample noise = noise(30, 34, 4);
        Set<Integer> allowed = Set.of(0, 1, 2, 3, 4, 255);
        Sample blocks = TransformsTest.blocks(36, 42, 5);
        boolean sawFill = false;
        for (int seed = 0; seed < 20; seed++) {
            Sample out = ElasticDeformation.of(8, 3).apply(noise, Rng.of(seed));
            Set<Integer> values = new TreeSet<>();
            Arrays.stream(out.mask()).forEach(values::add);
            assertTrue(allowed.containsAll(values), values.toString());
            sawFill |= values.contains(255);
            TransformsTest.assertAligned(ElasticDeformation.of(4, 3).apply(blocks, Rng.of(seed)), 0f);
        }
        assertTrue(sawFill, "displacements of 8 pixels at the border must reach outside a 30x34 image");
    }

    @Test
    void theSameSeedGivesTheSameOutputAndAnotherSeedAnother() {
        Sample s = noise(20, 20, 6);
        ElasticDeformation t = ElasticDeformation.of(5, 3);
        assertEquals(t.apply(s, Rng.of(42, 0, 7)), t.apply(s, Rng.of(42, 0, 7)));
        assertNotEquals(t.apply(s, Rng.of(42, 0, 7)), t.apply(s, Rng.of(42, 0, 8)));
        assertNotEquals(t.apply(s, Rng.of(42, 0, 7)), t.apply(s, Rng.of(43, 0, 7)));
    }

    @Test
    void drawsTheSameCountOfNumbersWhateverItDecides() {
        Sample s = noise(8, 8, 7);
        for (ElasticDeformation t : new ElasticDeformation[]{new ElasticDeformation(5, 4, 0, 0f),
                new ElasticDeformation(0, 4, 1, 0f), ElasticDeformation.of(5, 4)}) {
            Rng rng = Rng.of(9);
            t.apply(s, rng);
            Rng expected = Rng.of(9);
            for (int i = 0; i < 1 + 2 * 2 * 16; i++) {
                expected.nextLong();
            }
            assertEquals(expected.nextLong(), rng.nextLong(), t.toString());
        }
    }

    /**
     * The displacement of the centre control point, read off a deformed ramp, over many draws: mean 0, standard
     * deviation sigma in each direction, the directions uncorrelated; and it deforms with the probability given.
     */
    @Test
    void displacementsAreGaussianWithStandardDeviationSigma() {
        int n = 21; // control points at 0, 10 and 20
        Sample s = ramps(n, n);
        double sigma = 2;
        int draws = 3000;
        double[] dx = new double[draws];
        double[] dy = new double[draws];
        ElasticDeformation t = ElasticDeformation.of(sigma, 3);
        for (int i = 0; i < draws; i++) {
            Sample out = t.apply(s, Rng.of(13, i));
            dx[i] = out.image()[10 * n + 10] - 10.0;
            dy[i] = out.image()[n * n + 10 * n + 10] - 10.0;
        }
        double mx = Arrays.stream(dx).average().orElseThrow();
        double my = Arrays.stream(dy).average().orElseThrow();
        double vx = Arrays.stream(dx).map(d -> (d - mx) * (d - mx)).sum() / (draws - 1);
        double vy = Arrays.stream(dy).map(d -> (d - my) * (d - my)).sum() / (draws - 1);
        double cov = 0;
        for (int i = 0; i < draws; i++) {
            cov += (dx[i] - mx) * (dy[i] - my);
        }
        double corr = cov / (draws - 1) / Math.sqrt(vx * vy);
        // standard errors: mean sigma/sqrt(3000) = 0.037, std sigma/sqrt(6000) = 0.026, correlation 0.018
        assertEquals(0, mx, 0.15);
        assertEquals(0, my, 0.15);
        assertEquals(sigma, Math.sqrt(vx), 0.1);
        assertEquals(sigma, Math.sqrt(vy), 0.1);
        assertEquals(0, corr, 0.08);

        ElasticDeformation half = new ElasticDeformation(sigma, 3, 0.5, 0f);
        int deformed = 0;
        for (int i = 0; i < 400; i++) {
            if (half.apply(s, Rng.of(14, i)) != s) {
                deformed++;
            }
        }
        assertTrue(deformed > 150 && deformed < 250, "deformed " + deformed + " of 400");
    }

    @Test
    void tinyImagesWork() {
        Sample one = Sample.of("p", 1, 1, 1, new float[]{0.5f}, new int[]{1});
        assertEquals(one, ElasticDeformation.deform(one, 3, new double[9], new double[9], 0f));
        Sample row = ElasticDeformation.of(1, 3).apply(noise(1, 9, 8), Rng.of(1));
        assertEquals(9, row.width());
        assertEquals(1, row.height());
    }

    @Test
    void invalidSettingsNameTheSettingToChange() {
        assertMessage("data.elastic, --elastic", () -> new ElasticDeformation(-1, 3, 1, 0f));
        assertMessage("data.elastic, --elastic", () -> new ElasticDeformation(Double.NaN, 3, 1, 0f));
        assertMessage("data.elastic, --elastic", () -> ElasticDeformation.of(Double.POSITIVE_INFINITY, 3));
        assertMessage("data.elasticGrid", () -> ElasticDeformation.of(10, 1));
        assertMessage("[0, 1]", () -> new ElasticDeformation(10, 3, 1.5, 0f));
        Sample s = noise(4, 4, 9);
        assertMessage("grid*grid values", () -> ElasticDeformation.deform(s, 3, new double[4], new double[9], 0f));
    }

    private static void assertMessage(String expected, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
