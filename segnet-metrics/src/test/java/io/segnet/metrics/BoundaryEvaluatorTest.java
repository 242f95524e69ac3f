package io.segnet.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link BoundaryEvaluator} on maps small enough to score by hand. */
class BoundaryEvaluatorTest {

    private static final int H = 6;
    private static final int W = 8;

    /** Class 0 left of column {@code edge}, class 1 from it on. */
    private static int[] split(int edge) {
        int[] m = new int[H * W];
        for (int p = 0; p < m.length; p++) {
            m[p] = p % W < edge ? 0 : 1;
        }
        return m;
    }

    @Test
    void perfectPredictionScoresOne() {
        BoundaryEvaluator e = new BoundaryEvaluator(2, 255, 2);
        e.update(split(4), split(4), H, W);
        assertEquals(1.0, e.boundaryF1());
        assertEquals(1.0, e.trimapMeanIoU());
        assertEquals(1, e.scoredImages());
    }

    @Test
    void aBoundaryOnePixelOffCountsOnlyWithinTheTolerance() {
        BoundaryEvaluator exact = new BoundaryEvaluator(2, 255, 0);
        exact.update(split(5), split(4), H, W);
        assertEquals(0.0, exact.boundaryF1());
        assertEquals(0.0, exact.boundaryPrecision());
        assertEquals(0.0, exact.boundaryRecall());
        BoundaryEvaluator one = new BoundaryEvaluator(2, 255, 1);
        one.update(split(5), split(4), H, W);
        assertEquals(1.0, one.boundaryF1());
        // Band: columns 2, 3 (class 0) and 4 (class 1), all predicted 0: IoU 12/18 and 0/6.
        assertEquals((12.0 / 18 + 0) / 2, one.trimapMeanIoU(), 1e-12);
        assertEquals(18, one.trimapConfusion().countedPixels());
    }

    @Test
    void imagesAreAveragedAndAMissingBoundaryScoresZero() {
        BoundaryEvaluator e = new BoundaryEvaluator(2, 255, 1);
        e.update(split(4), split(4), H, W);
        e.update(new int[H * W], split(4), H, W);
        assertEquals(0.5, e.boundaryF1(), 1e-12);
        assertEquals(0.5, e.boundaryRecall(), 1e-12);
        BoundaryEvaluator none = new BoundaryEvaluator(2, 255, 1);
        none.update(new int[H * W], new int[H * W], H, W);
        assertEquals(0, none.scoredImages());
        assertTrue(Double.isNaN(none.boundaryF1()));
    }

    @Test
    void ignoredTruthFormsNoBoundaryAndIsNotScored() {
        int[] truth = split(4);
        for (int y = 0; y < H; y++) {
            truth[y * W + 4] = 255;
        }
        assertEquals(0, count(BoundaryEvaluator.boundary(truth, H, W, 255)));
        BoundaryEvaluator e = new BoundaryEvaluator(2, 255, 1);
        int[] prediction = split(5);
        e.update(prediction, truth, H, W);
        assertEquals(0, e.scoredImages(), "the predicted edge lies on ignored pixels");
    }

    @Test
    void dilationIsAEuclideanDisk() {
        boolean[] one = new boolean[9 * 9];
        one[4 * 9 + 4] = true;
        assertEquals(13, count(BoundaryEvaluator.dilate(one, 9, 9, 2)));
        assertEquals(29, count(BoundaryEvaluator.dilate(one, 9, 9, 3)));
        assertEquals(1, count(BoundaryEvaluator.dilate(one, 9, 9, 0)));
    }

    @Test
    void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new BoundaryEvaluator(2, 255, -1));
        BoundaryEvaluator e = new BoundaryEvaluator(2, 255, 1);
        assertThrows(IllegalArgumentException.class, () -> e.update(new int[5], new int[6], 2, 3));
    }

    private static int count(boolean[] b) {
        int n = 0;
        for (boolean v : b) {
            n += v ? 1 : 0;
        }
        return n;
    }
}
