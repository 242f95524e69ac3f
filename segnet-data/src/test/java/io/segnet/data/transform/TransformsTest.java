package io.segnet.data.transform;

import io.segnet.data.Rng;
import io.segnet.data.Sample;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransformsTest {

    private static final float LOW = 0.1f;
    private static final float HIGH = 0.9f;

    /**
     * A sample of random 6x6-pixel blocks, each LOW (class 0) or HIGH (class 1): the mask is the thresholded
     * image, so any misalignment between image and mask shows at block edges.
     */
    static Sample blocks(int h, int w, long seed) {
        Rng rng = Rng.of(seed);
        int bh = (h + 5) / 6;
        int bw = (w + 5) / 6;
        boolean[] on = new boolean[bh * bw];
        for (int i = 0; i < on.length; i++) {
            on[i] = rng.bernoulli(0.5);
        }
        float[] img = new float[h * w];
        int[] mask = new int[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean b = on[(y / 6) * bw + x / 6];
                img[y * w + x] = b ? HIGH : LOW;
                mask[y * w + x] = b ? 1 : 0;
            }
        }
        return Sample.of("blocks", 1, h, w, img, mask);
    }

    /**
     * For a bilinearly resampled block image: pixels clearly HIGH must be class 1, clearly LOW class 0, and
     * the image is the fill value exactly where the mask is the ignore value.
     */
    static void assertAligned(Sample s, float fill) {
        int checked = 0;
        for (int i = 0; i < s.pixels(); i++) {
            float v = s.image()[i];
            int m = s.mask()[i];
            if (m == s.ignoreValue()) {
                assertEquals(fill, v, "pixel " + i + " is padding in the mask but not in the image");
                continue;
            }
            assertTrue(v >= LOW - 1e-6 && v <= HIGH + 1e-6, "pixel " + i + " = " + v + " is inside but has no data");
            if (v > 0.8f) {
                assertEquals(1, m, "pixel " + i + " image " + v);
                checked++;
            } else if (v < 0.2f) {
                assertEquals(0, m, "pixel " + i + " image " + v);
                checked++;
            }
        }
        assertTrue(checked > s.pixels() / 3, "too few decisive pixels: " + checked);
    }

    @Test
    void flipsKeepMaskEqualToThresholdedImageAndAreInvolutions() {
        Sample s = blocks(13, 17, 1);
        for (RandomFlip.Axis axis : RandomFlip.Axis.values()) {
            Sample f = RandomFlip.flip(s, axis);
            for (int i = 0; i < f.pixels(); i++) {
                assertEquals(f.image()[i] > 0.5f ? 1 : 0, f.mask()[i]);
            }
            assertEquals(s, RandomFlip.flip(f, axis));
            assertNotEquals(s, f);
        }
        Sample h = RandomFlip.flip(s, RandomFlip.Axis.HORIZONTAL);
        assertEquals(s.image()[2 * 17 + 16], h.image()[2 * 17]);
        Sample v = RandomFlip.flip(s, RandomFlip.Axis.VERTICAL);
        assertEquals(s.image()[12 * 17 + 3], v.image()[3]);
    }

    @Test
    void randomFlipRespectsProbability() {
        Sample s = blocks(6, 12, 2);
        int flipped = 0;
        for (int i = 0; i < 400; i++) {
            if (!RandomFlip.horizontal(0.5).apply(s, Rng.of(3, i)).equals(s)) {
                flipped++;
            }
        }
        assertTrue(flipped > 150 && flipped < 250, "flipped " + flipped);
        assertSame(s, RandomFlip.horizontal(0).apply(s, Rng.of(1)));
    }

    @Test
    void scaleCropKeepsImageAndMaskAligned() {
        Sample s = blocks(40, 50, 3);
        RandomScaleCrop t = new RandomScaleCrop(0.5, 2.0, 36, 44);
        boolean sawPadding = false;
        for (int seed = 0; seed < 40; seed++) {
            Sample out = t.apply(s, Rng.of(seed));
            assertEquals(36, out.height());
            assertEquals(44, out.width());
            assertAligned(out, 0f);
            sawPadding |= Arrays.stream(out.mask()).anyMatch(m -> m == 255);
        }
        assertTrue(sawPadding, "scales down to 0.5 of 40x50 must pad a 36x44 crop");
    }

    @Test
    void cropAtScaleOneIsAnExactWindow() {
        Sample s = blocks(20, 30, 4);
        Sample out = RandomScaleCrop.crop(10, 12).apply(s, Rng.of(5));
        // find the window: it must equal s at some offset exactly
        boolean found = false;
        for (int top = 0; top <= 10 && !found; top++) {
            for (int left = 0; left <= 18 && !found; left++) {
                boolean same = true;
                for (int y = 0; y < 10 && same; y++) {
                    for (int x = 0; x < 12 && same; x++) {
                        same = out.image()[y * 12 + x] == s.image()[(top + y) * 30 + left + x]
                                && out.mask()[y * 12 + x] == s.mask()[(top + y) * 30 + left + x];
                    }
                }
                found = same;
            }
        }
        assertTrue(found);
    }

    @Test
    void rotationBy90IsExactCounterClockwise() {
        int n = 7;
        float[] img = new float[n * n];
        int[] mask = new int[n * n];
        for (int i = 0; i < img.length; i++) {
            img[i] = i / 100f;
            mask[i] = i % 5;
        }
        Sample s = Sample.of("r", 1, n, n, img, mask);
        Sample r = RandomRotation.rotate(s, 90, 0f);
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                // counter-clockwise as displayed: output (x, y) shows input (row x, column n-1-y)
                int src = x * n + (n - 1 - y);
                assertEquals(img[src], r.image()[y * n + x], 1e-5);
                assertEquals(mask[src], r.mask()[y * n + x]);
            }
        }
        // the top-right input pixel ends up top-left
        assertEquals(mask[n - 1], r.mask()[0]);
    }

    @Test
    void randomRotationKeepsAlignmentAndPadsCornersWithIgnore() {
        Sample s = blocks(30, 30, 6);
        RandomRotation t = new RandomRotation(20, 40, 1.0, 0f);
        for (int seed = 0; seed < 20; seed++) {
            Sample out = t.apply(s, Rng.of(seed));
            assertAligned(out, 0f);
            assertEquals(255, out.mask()[0], "a corner comes from outside after a 20-40 degree rotation");
        }
    }

    @Test
    void colorJitterChangesOnlyTheImageWithinRange() {
        Sample s = blocks(12, 12, 7);
        Sample out = new ColorJitter(0.5, 0.5, 0.5).apply(s, Rng.of(8));
        assertSame(s.mask(), out.mask());
        assertFalse(Arrays.equals(s.image(), out.image()));
        for (float v : out.image()) {
            assertTrue(v >= 0 && v <= 1);
        }
        assertArrayEquals(s.image(), new ColorJitter(0, 0, 0).apply(s, Rng.of(8)).image());
    }

    @Test
    void colorJitterSaturationZeroMakesRgbGray() {
        float[] img = {1f, 0f, 0f, 1f, 0f, 0f}; // 3 channels, 1x2: red and green pixels
        Sample s = Sample.of("c", 3, 1, 2, img, new int[]{0, 0});
        Sample out = new ColorJitter(0, 0, 1).apply(s, Rng.of(1));
        // the saturation factor is drawn from [0, 2]; the channels move towards or away from gray, always clamped
        for (float v : out.image()) {
            assertTrue(v >= 0 && v <= 1);
        }
        assertNotEquals(Arrays.toString(img), Arrays.toString(out.image()));
    }

    @Test
    void normalizeIsPerChannel() {
        Sample s = Sample.of("n", 2, 1, 2, new float[]{0.5f, 1f, 0.2f, 0.4f}, null);
        Sample out = new Normalize(new float[]{0.5f, 0.2f}, new float[]{0.5f, 0.1f}).apply(s, Rng.of(0));
        assertArrayEquals(new float[]{0f, 1f, 0f, 2f}, out.image(), 1e-6f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Normalize.imagenet().apply(s, Rng.of(0)));
        assertTrue(e.getMessage().contains("sample 'n' has 2 channels"), e.getMessage());
    }

    @Test
    void resizeUsesNearestForMasksAndHalfPixelBilinearForImages() {
        float[] img = {0f, 1f, 2f, 3f};
        int[] mask = {0, 1, 2, 3};
        Sample s = Sample.of("s", 1, 2, 2, img, mask);
        Sample up = Resize.resize(s, 4, 4);
        assertArrayEquals(new int[]{0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3}, up.mask());
        // PyTorch interpolate(bilinear, align_corners=False) of [[0,1],[2,3]] to 4x4, first row
        assertArrayEquals(new float[]{0f, 0.25f, 0.75f, 1f}, Arrays.copyOf(up.image(), 4), 1e-6f);
        Sample down = Resize.resize(up, 2, 2);
        assertArrayEquals(mask, down.mask());
        assertSame(s, Resize.resize(s, 2, 2));
    }

    @Test
    void padToMultiplePadsBottomRightWithIgnore() {
        Sample s = blocks(30, 45, 9);
        Sample p = PadToMultiple.of(16).apply(s, Rng.of(0));
        assertEquals(32, p.height());
        assertEquals(48, p.width());
        assertEquals(32, PadToMultiple.of(16).paddedSize(30));
        assertEquals(48, PadToMultiple.of(16).paddedSize(48));
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 48; x++) {
                if (y < 30 && x < 45) {
                    assertEquals(s.mask()[y * 45 + x], p.mask()[y * 48 + x]);
                    assertEquals(s.image()[y * 45 + x], p.image()[y * 48 + x]);
                } else {
                    assertEquals(255, p.mask()[y * 48 + x]);
                    assertEquals(0f, p.image()[y * 48 + x]);
                }
            }
        }
    }

    @Test
    void pipelineIsReproducibleFromSeedAndIndexAndLeavesInputAlone() {
        Sample s = blocks(40, 40, 10);
        Sample copy = new Sample(s.id(), 1, 40, 40, s.image().clone(), s.mask().clone(), 255);
        Transform t = Compose.of(RandomFlip.horizontal(0.5), RandomFlip.vertical(0.5),
                new RandomScaleCrop(0.5, 1.5, 32, 32), RandomRotation.degrees(15), new ColorJitter(0.2, 0.2, 0),
                Normalize.of(0.5f, 0.25f));
        Sample a = t.apply(s, 42, 0, 17);
        Sample b = t.apply(s, 42, 0, 17);
        assertEquals(a, b);
        assertNotEquals(a, t.apply(s, 42, 0, 18));
        assertNotEquals(a, t.apply(s, 42, 1, 17));
        assertNotEquals(a, t.apply(s, 43, 0, 17));
        assertEquals(copy, s);
    }

    @Test
    void invalidParametersSayWhatToUse() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new RandomScaleCrop(2, 1, 8, 8)).getMessage()
                .contains("0 < minScale <= maxScale"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RandomFlip.horizontal(1.5)).getMessage()
                .contains("[0, 1]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Normalize.of(0, 0)).getMessage()
                .contains("positive"));
    }
}
