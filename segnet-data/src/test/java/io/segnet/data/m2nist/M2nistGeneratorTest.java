package io.segnet.data.m2nist;

import io.segnet.data.DataException;
import io.segnet.data.Sample;
import io.segnet.data.dataset.DatasetConfig;
import io.segnet.data.dataset.SegmentationDataset;
import io.segnet.data.dataset.Split;
import io.segnet.data.m2nist.M2nistGenerator.PlacedDigit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class M2nistGeneratorTest {

    private static final int N = 300;

    @TempDir
    Path dir;

    @Test
    void imagesHaveTheM2nistProperties() {
        M2nistGenerator gen = M2nistGenerator.of(11, N);
        MnistDigits mnist = MnistDigits.testSet();
        int[] digitCounts = new int[4];
        for (int i = 0; i < N; i++) {
            Sample s = gen.get(i);
            assertEquals(1, s.channels());
            assertEquals(64, s.height());
            assertEquals(84, s.width());
            List<PlacedDigit> layout = gen.layout(i);
            assertTrue(layout.size() >= 1 && layout.size() <= 3, "digits: " + layout.size());
            digitCounts[layout.size()]++;
            boolean[] inBox = new boolean[s.pixels()];
            for (int a = 0; a < layout.size(); a++) {
                PlacedDigit p = layout.get(a);
                assertEquals(mnist.label(p.mnistIndex()), p.digit());
                assertTrue(p.top() >= 0 && p.left() >= 0 && p.top() + p.height() <= 64 && p.left() + p.width() <= 84);
                for (int b = a + 1; b < layout.size(); b++) {
                    assertFalse(p.overlaps(layout.get(b)), "image " + i + ": " + p + " overlaps " + layout.get(b));
                }
                for (int y = p.top(); y < p.top() + p.height(); y++) {
                    for (int x = p.left(); x < p.left() + p.width(); x++) {
                        int o = y * 84 + x;
                        inBox[o] = true;
                        int m = s.mask()[o];
                        assertTrue(m == p.digit() || m == M2nistGenerator.BACKGROUND);
                    }
                }
            }
            for (int o = 0; o < s.pixels(); o++) {
                int m = s.mask()[o];
                float v = s.image()[o];
                assertTrue(m >= 0 && m <= 10);
                assertEquals(v == 0f, m == M2nistGenerator.BACKGROUND, "image " + i + " pixel " + o
                        + ": background class exactly where the image is 0");
                if (!inBox[o]) {
                    assertEquals(0f, v);
                }
            }
        }
        for (int k = 1; k <= 3; k++) {
            assertTrue(digitCounts[k] > 70 && digitCounts[k] < 130, "1..3 digits uniformly: " + Arrays.toString(digitCounts));
        }
    }

    @Test
    void digitPixelsAreTheMnistPixelsUnscaled() {
        M2nistGenerator gen = M2nistGenerator.of(5, 3);
        MnistDigits mnist = MnistDigits.testSet();
        Sample s = gen.get(0);
        PlacedDigit p = gen.layout(0).get(0);
        int inkSum = 0;
        for (int y = 0; y < p.height(); y++) {
            for (int x = 0; x < p.width(); x++) {
                inkSum += Math.round(s.image()[(p.top() + y) * 84 + p.left() + x] * 255);
            }
        }
        int mnistSum = 0;
        for (byte b : mnist.digit(p.mnistIndex())) {
            mnistSum += b & 0xFF;
        }
        assertEquals(mnistSum, inkSum, "the ink box holds all of the digit's ink, unscaled");
    }

    @Test
    void sameSeedSameImagesOnAnyThreadCount() {
        M2nistGenerator a = M2nistGenerator.of(99, 64);
        M2nistGenerator b = M2nistGenerator.of(99, 64);
        List<Sample> sequential = IntStream.range(0, 64).mapToObj(a::get).toList();
        List<Sample> parallel = IntStream.range(0, 64).parallel().mapToObj(b::get).toList();
        assertEquals(sequential, parallel);
        List<Sample> reversed = IntStream.range(0, 64).map(i -> 63 - i).mapToObj(b::get).toList();
        assertEquals(sequential.get(0), reversed.get(63));
        assertNotEquals(a.get(0), M2nistGenerator.of(100, 64).get(0));
        assertNotEquals(a.get(0), a.get(1));
    }

    @Test
    void splitUsesDisjointDigitPools() {
        Split<M2nistGenerator> split = M2nistGenerator.split(3, 50, 20);
        int[] train = split.train().digitPool();
        int[] val = split.validation().digitPool();
        assertEquals(2_000, val.length);
        assertEquals(8_000, train.length);
        Set<Integer> trainSet = new HashSet<>();
        Arrays.stream(train).forEach(trainSet::add);
        Arrays.stream(val).forEach(d -> assertFalse(trainSet.contains(d), "digit " + d + " in both pools"));
        Set<Integer> valSet = new HashSet<>();
        Arrays.stream(val).forEach(valSet::add);
        for (int i = 0; i < 20; i++) {
            split.validation().layout(i).forEach(p -> assertTrue(valSet.contains(p.mnistIndex())));
        }
        for (int i = 0; i < 50; i++) {
            split.train().layout(i).forEach(p -> assertTrue(trainSet.contains(p.mnistIndex())));
        }
        assertEquals(50, split.train().size());
        assertEquals(20, split.validation().size());
    }

    @Test
    void thresholdLabelsOnlyBrightPixels() {
        M2nistGenerator gen = M2nistGenerator.of(8, 20, M2nistConfig.DEFAULT.withThreshold(128));
        int dimBackground = 0;
        for (int i = 0; i < 20; i++) {
            Sample s = gen.get(i);
            for (int o = 0; o < s.pixels(); o++) {
                int v = Math.round(s.image()[o] * 255);
                assertEquals(v > 128, s.mask()[o] != M2nistGenerator.BACKGROUND);
                dimBackground += v > 0 && v <= 128 ? 1 : 0;
            }
        }
        assertTrue(dimBackground > 0);
    }

    @Test
    void writtenPngsReadBackAsTheSameSamples() throws Exception {
        M2nistGenerator gen = M2nistGenerator.of(4, 12);
        gen.writePngs(dir);
        SegmentationDataset ds = SegmentationDataset.fromFolders(dir.resolve("image"), dir.resolve("mask"),
                DatasetConfig.of(11).withClassNames(M2nistGenerator.CLASS_NAMES));
        assertEquals(12, ds.size());
        assertTrue(ds.validate().isOk());
        for (int i = 0; i < 12; i++) {
            assertEquals(gen.get(i), ds.get(i));
        }
        DataException e = assertThrows(DataException.class, () -> gen.writePngs(dir));
        assertTrue(e.getMessage().contains("folder already holds files"), e.getMessage());
    }

    @Test
    void configLimitsAreExplained() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new M2nistConfig(64, 84, 1, 7, 0)).getMessage()
                .contains("maxDigits <= 6"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new M2nistConfig(20, 84, 1, 3, 0)).getMessage()
                .contains("at least 28x28"));
    }

    @Test
    void sixDigitsStillFitWithoutOverlap() {
        M2nistGenerator gen = M2nistGenerator.of(1, 10, M2nistConfig.DEFAULT.withDigits(6, 6));
        for (int i = 0; i < 10; i++) {
            List<PlacedDigit> l = gen.layout(i);
            assertEquals(6, l.size());
            for (int a = 0; a < 6; a++) {
                for (int b = a + 1; b < 6; b++) {
                    assertFalse(l.get(a).overlaps(l.get(b)));
                }
            }
        }
    }
}
