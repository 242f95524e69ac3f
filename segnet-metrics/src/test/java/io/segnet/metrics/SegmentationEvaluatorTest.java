package io.segnet.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class SegmentationEvaluatorTest {

    private static final double EPS = 1e-12;

    /**
     * Two classes, three images of four pixels.
     * A: truth [0,0,1,1], prediction [0,0,1,1]: IoU = [1, 1].
     * B: truth [0,0,0,0], prediction [0,0,0,1]: IoU = [3/4, 0] (class 1 predicted, absent from the truth).
     * C: truth [0,0,0,0], prediction [0,0,0,0]: IoU = [1, NaN] (class 1 absent from both).
     */
    private static final int[][] TRUTH = {{0, 0, 1, 1}, {0, 0, 0, 0}, {0, 0, 0, 0}};
    private static final int[][] PREDICTION = {{0, 0, 1, 1}, {0, 0, 0, 1}, {0, 0, 0, 0}};

    private static SegmentationEvaluator feed(MetricConfig config) {
        SegmentationEvaluator eval = new SegmentationEvaluator(config);
        for (int i = 0; i < TRUTH.length; i++) {
            eval.update(PREDICTION[i], TRUTH[i]);
        }
        return eval;
    }

    @Test
    void datasetReductionSumsOneMatrix() {
        MetricReport r = feed(MetricConfig.of(List.of("background", "object"))).report();
        // Summed: n00 = 9, n01 = 1, n11 = 2; t = [10, 2], p = [9, 3]. IoU = [9/10, 2/3].
        assertEquals(Reduction.DATASET, r.reduction());
        assertEquals(3, r.images());
        assertEquals(0.9, r.classes().get(0).iou(), EPS);
        assertEquals(2.0 / 3, r.classes().get(1).iou(), EPS);
        assertEquals((0.9 + 2.0 / 3) / 2, r.meanIoU(), EPS);
        assertEquals(11.0 / 12, r.pixelAccuracy(), EPS);
        ConfusionMatrix m = ConfusionMatrix.fromCounts(new long[][] {{9, 1}, {0, 2}}, 255);
        assertEquals(MetricReport.of(m, List.of("background", "object"), 1.0, 3), r);
    }

    @Test
    void imagewiseReductionAveragesPerImageScores() {
        MetricConfig config = MetricConfig.of(List.of("background", "object")).withReduction(Reduction.IMAGEWISE);
        MetricReport r = feed(config).report();
        // Class 0: (1 + 3/4 + 1) / 3; class 1: (1 + 0) / 2, image C has no IoU for it.
        assertEquals(2.75 / 3, r.classes().get(0).iou(), EPS);
        assertEquals(0.5, r.classes().get(1).iou(), EPS);
        assertEquals((2.75 / 3 + 0.5) / 2, r.meanIoU(), EPS);
        // PA per image: 1, 3/4, 1.
        assertEquals(2.75 / 3, r.pixelAccuracy(), EPS);
        // Counts stay data-set totals.
        assertEquals(2, r.classes().get(1).truthPixels());
        assertEquals(3, r.classes().get(1).predictedPixels());

        // segmentation_models.pytorch's default zero_division = 1: image C's undefined class-1 IoU counts as 1.
        MetricReport smp = feed(config.withZeroDivision(1.0)).report();
        assertEquals(2.0 / 3, smp.classes().get(1).iou(), EPS);
        assertEquals(1.0, smp.zeroDivision(), 0);
    }

    @Test
    void mergedEvaluatorsReportWhatOneEvaluatorWould() {
        Random random = new Random(9);
        int n = 6;
        float[] p = new float[n * 10 * 10];
        float[] t = new float[n * 10 * 10];
        for (int i = 0; i < p.length; i++) {
            t[i] = random.nextInt(12) == 0 ? 255 : random.nextInt(4);
            p[i] = random.nextInt(3) == 0 ? random.nextInt(4) : Math.min(t[i], 3);
        }
        INDArray pa = Nd4j.create(p, new long[] {n, 1, 10, 10}, 'c');
        INDArray ta = Nd4j.create(t, new long[] {n, 1, 10, 10}, 'c');
        for (Reduction reduction : Reduction.values()) {
            MetricConfig config = MetricConfig.numbered(4).withReduction(reduction);
            MetricReport whole = new SegmentationEvaluator(config).update(pa, ta).report();
            SegmentationEvaluator a = new SegmentationEvaluator(config)
                    .update(pa.get(NDArrayIndex.interval(0, 2)), ta.get(NDArrayIndex.interval(0, 2)));
            SegmentationEvaluator b = new SegmentationEvaluator(config)
                    .update(pa.get(NDArrayIndex.interval(2, 6)), ta.get(NDArrayIndex.interval(2, 6)));
            MetricReport merged = a.merge(b).report();
            assertEquals(whole.images(), merged.images());
            assertEquals(whole.ignoredPixels(), merged.ignoredPixels());
            assertEquals(java.util.Arrays.deepToString(whole.confusionMatrix()),
                    java.util.Arrays.deepToString(merged.confusionMatrix()));
            assertEquals(whole.meanIoU(), merged.meanIoU(), EPS, reduction.toString());
            assertEquals(whole.pixelAccuracy(), merged.pixelAccuracy(), EPS, reduction.toString());
            assertEquals(whole.frequencyWeightedIoU(), merged.frequencyWeightedIoU(), EPS, reduction.toString());
            for (int c = 0; c < 4; c++) {
                assertEquals(whole.classes().get(c).dice(), merged.classes().get(c).dice(), EPS);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new SegmentationEvaluator(MetricConfig.numbered(4))
                .merge(new SegmentationEvaluator(MetricConfig.numbered(4).withReduction(Reduction.IMAGEWISE))));
    }

    @Test
    void scoresAndClassMapsGiveTheSameReport() {
        Random random = new Random(4);
        int n = 2;
        int c = 3;
        float[] scores = new float[n * c * 5 * 5];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = (float) random.nextGaussian();
        }
        INDArray s = Nd4j.create(scores, new long[] {n, c, 5, 5}, 'c');
        INDArray argmax = Nd4j.argMax(s, 1);
        INDArray t = Nd4j.create(new long[] {n, 1, 5, 5}, 'c');
        for (int i = 0; i < t.length(); i++) {
            t.putScalar(i, random.nextInt(c));
        }
        for (Reduction reduction : Reduction.values()) {
            MetricConfig config = MetricConfig.numbered(c).withReduction(reduction);
            assertEquals(new SegmentationEvaluator(config).update(argmax, t).report(),
                    new SegmentationEvaluator(config).updateScores(s, t).report());
        }
    }

    @Test
    void failedUpdateLeavesTheEvaluatorUnchanged() {
        for (Reduction reduction : Reduction.values()) {
            SegmentationEvaluator eval = feed(MetricConfig.numbered(2).withReduction(reduction));
            MetricReport before = eval.report();
            // Image 0 is fine, image 1 holds label 2 of 2 classes.
            INDArray t = Nd4j.create(new float[] {0, 1, 1, 0, 0, 2, 1, 1}, new long[] {2, 1, 2, 2}, 'c');
            INDArray p = Nd4j.create(new float[] {0, 1, 0, 0, 1, 1, 1, 1}, new long[] {2, 1, 2, 2}, 'c');
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> eval.update(p, t));
            assertTrue(e.getMessage().contains("value 2 in 1 pixel"), e.getMessage());
            assertEquals(before, eval.report(), reduction.toString());
            eval.reset();
            assertEquals(0, eval.images());
            assertEquals(0, eval.confusionMatrix().countedPixels());
        }
    }

    @Test
    void configRoundTripsThroughJackson() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (MetricConfig config : List.of(MetricConfig.of(List.of("sky", "tree")),
                MetricConfig.numbered(3).withReduction(Reduction.IMAGEWISE).withZeroDivision(1.0).withFScoreBeta(2))) {
            String text = json.writeValueAsString(config);
            assertEquals(config, json.readValue(text, MetricConfig.class), text);
        }
        assertTrue(json.writeValueAsString(MetricConfig.numbered(2)).contains("\"zeroDivision\":null"));
    }

    @Test
    void configIsValidated() {
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
                () -> MetricConfig.of(List.of("road", "car", "road")));
        assertTrue(dup.getMessage().contains("'road'"), dup.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MetricConfig.of(List.of()));
        assertThrows(IllegalArgumentException.class, () -> MetricConfig.of(List.of("a", " ")));
        IllegalArgumentException ignore = assertThrows(IllegalArgumentException.class,
                () -> MetricConfig.numbered(3).withIgnoreValue(2));
        assertTrue(ignore.getMessage().contains("ignoreValue 2 is a class id"), ignore.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MetricConfig.numbered(3).withFScoreBeta(0));
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> MetricConfig.numbered(3).withZeroDivision(2));
        assertTrue(zero.getMessage().contains("[0, 1]"), zero.getMessage());
        assertThrows(NullPointerException.class, () -> MetricConfig.numbered(3).withReduction(null));
        assertEquals(List.of("class 0", "class 1"), MetricConfig.numbered(2).classNames());
    }
}
