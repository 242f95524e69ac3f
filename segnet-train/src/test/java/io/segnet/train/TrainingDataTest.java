package io.segnet.train;

import io.segnet.data.Sample;
import io.segnet.data.dataset.InMemorySource;
import io.segnet.data.transform.Augmentation;
import io.segnet.data.transform.ColorJitter;
import io.segnet.data.transform.Compose;
import io.segnet.data.transform.ElasticDeformation;
import io.segnet.data.transform.RandomFlip;
import io.segnet.data.transform.RandomRotation;
import io.segnet.data.transform.RandomScaleCrop;
import io.segnet.data.transform.Transform;
import io.segnet.inference.Preprocessing;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingDataTest {

    private static final Sample SAMPLE = Sample.of("a", 1, 3, 3, filled(9, 0.75f), new int[9]);

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }

    private static TrainingData data(Transform augmentation) {
        return TrainingData.of(InMemorySource.of(List.of(SAMPLE), 2, List.of("a", "b")), augmentation, null,
                Preprocessing.normalize(0.5, 0.25));
    }

    /** Issue 13 item 10: training pads like validation and prediction, i.e. normalise first, then pad with 0. */
    @Test
    void trainingPadsAfterNormalisingSoPaddedPixelsHoldTheMean() {
        for (Transform augmentation : List.of(Augmentation.none().transform(4),
                new Augmentation(List.of(), 1, 1, true, false, 0, 0).transform(4))) {
            Sample s = data(augmentation).trainTransform().apply(SAMPLE, 1L);
            assertEquals(4, s.height());
            assertEquals(4, s.width());
            float[] expected = new float[16];
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 3; x++) {
                    expected[y * 4 + x] = 1f; // (0.75 - 0.5) / 0.25
                }
            }
            assertArrayEquals(expected, s.image(), 1e-6f, "padded pixels are 0 after normalisation");
            assertEquals(255, s.mask()[15], "padded mask pixels are ignored");
        }
    }

    /**
     * Issue 13: a crop larger than the image pads too, also after colour jitter; padded pixels are exactly 0 after
     * normalisation (not (0 - 0.5) / 0.25 = -2), and the image pixels are the normalised, jittered ones.
     */
    @Test
    void aCropLargerThanTheImagePadsWithZeroAfterNormalisation() {
        for (double jitter : new double[]{0, 0.3}) {
            Transform augmentation = new Augmentation(List.of(6, 5), 1, 1, false, false, 0, jitter).transform(1);
            for (long index = 0; index < 4; index++) {
                Sample s = data(augmentation).trainTransform().apply(SAMPLE, 3L, 0, index);
                assertEquals(6, s.height());
                assertEquals(5, s.width());
                int padded = 0;
                for (int i = 0; i < 30; i++) {
                    if (s.mask()[i] == 255) {
                        assertEquals(0f, s.image()[i], "padded pixel " + i + " with jitter " + jitter);
                        padded++;
                    } else if (jitter == 0) {
                        assertEquals(1f, s.image()[i], 1e-6f);
                    }
                }
                assertEquals(30 - 9, padded);
            }
        }
    }

    /**
     * The corners a rotation brings in from outside the image are filled like padding: 0 after normalisation (not
     * (0 - 0.5) / 0.25 = -2), with or without colour jitter, and ignored in the mask.
     */
    @Test
    void aRotationFillsItsCornersWithZeroAfterNormalisation() {
        for (double jitter : new double[]{0, 0.3}) {
            Transform augmentation = new Augmentation(List.of(), 1, 1, false, false, 45, jitter).transform(1);
            Sample square = Sample.of("a", 1, 7, 7, filled(49, 0.75f), new int[49]);
            TrainingData data = TrainingData.of(InMemorySource.of(List.of(square), 2, List.of("a", "b")), augmentation,
                    null, Preprocessing.normalize(0.5, 0.25));
            int filled = 0;
            for (long index = 0; index < 8; index++) {
                Sample s = data.trainTransform().apply(square, 5L, 0, index);
                for (int i = 0; i < 49; i++) {
                    if (s.mask()[i] == 255) {
                        assertEquals(0f, s.image()[i], "filled pixel " + i + " with jitter " + jitter);
                        filled++;
                    }
                }
            }
            assertTrue(filled > 0, "some rotation must bring in a corner");
        }
    }

    /**
     * The pixels an elastic deformation brings in from outside the image are filled like padding: 0 after
     * normalisation, with or without colour jitter, and ignored in the mask; between a rotation and the crop, it runs
     * after the normalisation with them.
     */
    @Test
    void anElasticDeformationFillsWithZeroAfterNormalisation() {
        Sample square = Sample.of("a", 1, 9, 9, filled(81, 0.75f), new int[81]);
        for (double jitter : new double[]{0, 0.3}) {
            Transform augmentation = Compose.of(new ColorJitter(jitter, jitter, jitter), ElasticDeformation.of(3, 3));
            TrainingData data = TrainingData.of(InMemorySource.of(List.of(square), 2, List.of("a", "b")), augmentation,
                    null, Preprocessing.normalize(0.5, 0.25));
            int filled = 0;
            for (long index = 0; index < 8; index++) {
                Sample s = data.trainTransform().apply(square, 5L, 0, index);
                for (int i = 0; i < 81; i++) {
                    if (s.mask()[i] == 255) {
                        assertEquals(0f, s.image()[i], "filled pixel " + i + " with jitter " + jitter);
                        filled++;
                    } else if (jitter == 0) {
                        assertEquals(1f, s.image()[i], 1e-6f, "pixel " + i);
                    }
                }
            }
            assertTrue(filled > 0, "some deformation must reach outside the image");
        }
        Transform chain = Compose.of(new ColorJitter(0.2, 0.2, 0), RandomRotation.degrees(30),
                ElasticDeformation.of(3, 3), new RandomScaleCrop(1, 1, 9, 9));
        List<Transform> steps = ((Compose) data(chain).trainTransform()).transforms();
        assertEquals(List.of(new ColorJitter(0.2, 0.2, 0), Preprocessing.normalize(0.5, 0.25).transform(),
                RandomRotation.degrees(30), ElasticDeformation.of(3, 3), new RandomScaleCrop(1, 1, 9, 9)), steps);
    }

    @Test
    void aFlipAloneGivesTheNormalisedFlippedImage() {
        Sample s = data(RandomFlip.horizontal(1.0)).trainTransform().apply(SAMPLE, 1L);
        assertArrayEquals(filled(9, 1f), s.image(), 1e-6f);
    }
}
