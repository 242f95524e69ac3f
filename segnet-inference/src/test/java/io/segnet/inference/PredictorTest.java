package io.segnet.inference;

import io.segnet.core.layers.Conv2D;
import io.segnet.core.loss.SegmentationLoss;
import io.segnet.data.Sample;
import io.segnet.data.io.ImagePixels;
import io.segnet.data.transform.Normalize;
import io.segnet.data.transform.RandomFlip;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PredictorTest {

    /** A fully convolutional network of 1x1 convolutions: each pixel's logits depend on that pixel alone. */
    private static ComputationGraph pointwise;

    @BeforeAll
    static void network() {
        var conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).updater(new NoOp()).seed(5)
                .graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(16, 16, 3))
                .addLayer("c1", new Conv2D(3, 6, 1), "in")
                .addLayer("c2", new Conv2D(6, 4, 1), "c1")
                .addLayer("loss", SegmentationLoss.crossEntropy(), "c2").setOutputs("loss").build();
        pointwise = new ComputationGraph(conf);
        pointwise.init();
    }

    private static InferenceNetwork net(int multiple) {
        return new InferenceNetwork(x -> pointwise.output(false, x)[0], 3, 4, multiple, 1);
    }

    private static ImagePixels image(int h, int w, long seed) {
        Random r = new Random(seed);
        float[] d = new float[3 * h * w];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextFloat();
        }
        return new ImagePixels(3, h, w, d);
    }

    private static void assertClose(float[] expected, float[] actual, double tol) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol, "element " + i);
        }
    }

    /** Every logits array the network returns is released exactly once, after its values were read. */
    @Test
    void everyLogitsArrayIsReleasedOnce() {
        Map<INDArray, Integer> released = new IdentityHashMap<>();
        List<INDArray> returned = new ArrayList<>();
        LogitsFunction counting = new LogitsFunction() {
            @Override
            public INDArray logits(INDArray images) {
                INDArray y = pointwise.output(false, images)[0];
                returned.add(y);
                return y;
            }

            @Override
            public void release(INDArray logits) {
                released.merge(logits, 1, Integer::sum);
                LogitsFunction.super.release(logits);
            }
        };
        ImagePixels img = image(40, 53, 4);
        Prediction expected = new Predictor(net(1), null, PredictorConfig.defaults().withTile(16, 16)
                .withFlips(true, false)).predict(img);
        Prediction p = new Predictor(new InferenceNetwork(counting, 3, 4, 1, 1), null, PredictorConfig.defaults()
                .withTile(16, 16).withFlips(true, false)).predict(img);
        assertArrayEquals(expected.logits(), p.logits(), "released arrays were read before their release");
        assertTrue(returned.size() > 1, "tiles and flips make several calls: " + returned.size());
        assertEquals(returned.size(), released.size());
        returned.forEach(y -> assertEquals(1, released.get(y), "released once"));
    }

    @Test
    void slidingWindowEqualsWholeImageForAPointwiseNetwork() {
        ImagePixels img = image(40, 53, 1);
        Prediction whole = new Predictor(net(1), null, PredictorConfig.defaults()).predict(img);
        for (PredictorConfig.Weighting w : PredictorConfig.Weighting.values()) {
            PredictorConfig tiled = PredictorConfig.defaults().withTile(16, 16).withWeighting(w).withTileBatch(3);
            Prediction p = new Predictor(net(1), null, tiled).predict(img);
            assertEquals(40, p.height());
            assertEquals(53, p.width());
            assertClose(whole.logits(), p.logits(), 1e-5);
            assertArrayEquals(whole.classMap(), p.classMap());
        }
    }

    @Test
    void imagesSmallerThanTheTileOrTheMultipleArePaddedAndCropped() {
        ImagePixels img = image(13, 21, 2);
        Prediction plain = new Predictor(net(1), null, PredictorConfig.defaults()).predict(img);
        Prediction padded = new Predictor(net(8), null, PredictorConfig.defaults().withTile(16, 16)).predict(img);
        assertClose(plain.logits(), padded.logits(), 1e-6);
        Prediction oneSide = new Predictor(net(8), null, PredictorConfig.defaults().withTile(16, 16))
                .predict(image(10, 70, 3));
        assertEquals(10 * 70, oneSide.classMap().length);
    }

    @Test
    void flipAndScaleAugmentationsKeepTheShapeAndAverage() {
        ImagePixels img = image(24, 30, 4);
        Predictor plain = new Predictor(net(1), null, PredictorConfig.defaults());
        Prediction base = plain.predict(img);
        Prediction flips = new Predictor(net(1), null, PredictorConfig.defaults().withFlips(true, true)).predict(img);
        assertClose(base.logits(), flips.logits(), 1e-5);
        PredictorConfig ms = PredictorConfig.defaults().withScales(List.of(0.5, 1.0, 1.5)).withFlips(true, false);
        assertEquals(6, ms.augmentations());
        Prediction scaled = new Predictor(net(1), null, ms).predict(img);
        assertEquals(24, scaled.height());
        assertEquals(30, scaled.width());
        assertEquals(4 * 24 * 30, scaled.logits().length);
        int same = 0;
        for (int i = 0; i < base.classMap().length; i++) {
            same += base.classMap()[i] == scaled.classMap()[i] ? 1 : 0;
        }
        assertTrue(same > base.classMap().length / 2, "rescaling a smooth map keeps most classes, " + same);
    }

    @Test
    void flipAugmentationMirrorsLogitsBack() {
        ImagePixels img = image(8, 12, 6);
        Sample s = new Sample("x", 3, 8, 12, img.data(), null, 255);
        Sample mirrored = RandomFlip.flip(s, RandomFlip.Axis.HORIZONTAL);
        Predictor p = new Predictor(net(1), null, PredictorConfig.defaults());
        float[] direct = p.predict(s).logits();
        float[] ofMirror = p.predict(mirrored).logits();
        Sample back = RandomFlip.flip(new Sample("y", 4, 8, 12, ofMirror, null, 255), RandomFlip.Axis.HORIZONTAL);
        assertClose(direct, back.image(), 1e-6);
    }

    @Test
    void preprocessingIsApplied() {
        ImagePixels img = image(8, 8, 7);
        Normalize norm = Normalize.of(0.5f, 0.25f);
        Prediction withNorm = new Predictor(net(1), norm, PredictorConfig.defaults()).predict(img);
        float[] n = norm.apply(new Sample("x", 3, 8, 8, img.data(), null, 255), 0).image();
        Prediction manual = new Predictor(net(1), null, PredictorConfig.defaults()).predict(new ImagePixels(3, 8, 8, n));
        assertClose(manual.logits(), withNorm.logits(), 1e-6);
    }

    @Test
    void concurrentCallsGiveTheSequentialResults() throws Exception {
        Predictor p = new Predictor(net(1), null, PredictorConfig.defaults().withTile(16, 16).withFlips(true, false));
        List<ImagePixels> images = new ArrayList<>();
        List<int[]> expected = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            images.add(image(20 + i, 30 - i, 100 + i));
            expected.add(p.predict(images.get(i)).classMap());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<int[]>> futures = new ArrayList<>();
            for (ImagePixels img : images) {
                futures.add(pool.submit(() -> p.predict(img).classMap()));
            }
            for (int i = 0; i < images.size(); i++) {
                assertArrayEquals(expected.get(i), futures.get(i).get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void predictAllMatchesPredictingOneByOne() {
        Predictor p = new Predictor(net(8), Normalize.of(0.5f, 0.2f), PredictorConfig.defaults().withFlips(true, true)
                .withTileBatch(3));
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ImagePixels img = i == 4 ? image(9, 11, i) : image(10, 13, i);
            samples.add(new Sample("s" + i, 3, img.height(), img.width(), img.data(), new int[img.height()
                    * img.width()], 255));
        }
        List<Prediction> all = p.predictAll(samples);
        assertEquals(7, all.size());
        for (int i = 0; i < samples.size(); i++) {
            Prediction one = p.predict(samples.get(i));
            assertArrayEquals(one.logits(), all.get(i).logits(), "sample " + i);
            assertArrayEquals(one.classMap(), all.get(i).classMap());
        }
    }

    @Test
    void tilePositionsCoverTheImageAndWeightsArePositive() {
        assertArrayEquals(new int[]{0, 11, 22, 33, 34}, Predictor.positions(50, 16, 11));
        assertArrayEquals(new int[]{0}, Predictor.positions(16, 16, 11));
        assertArrayEquals(new int[]{0, 4}, Predictor.positions(20, 16, 11));
        float[] w = Predictor.weights(4, 6, PredictorConfig.Weighting.COSINE);
        for (float v : w) {
            assertTrue(v > 0 && v <= 1);
        }
        assertTrue(w[0] < w[1 * 6 + 2], "the centre counts more than the corner");
    }

    @Test
    void badInputsAreExplained() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Predictor(net(32), null, PredictorConfig.defaults().withTile(100, 100)));
        assertTrue(e.getMessage().contains("use 128x128"), e.getMessage());
        Predictor p = new Predictor(net(1), null, PredictorConfig.defaults());
        e = assertThrows(IllegalArgumentException.class, () -> p.predict(new ImagePixels(1, 4, 4, new float[16])));
        assertTrue(e.getMessage().contains("has 1 channels but the model takes 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PredictorConfig.defaults().withScales(List.of(10.0)));
        assertTrue(e.getMessage().contains("scale 10.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PredictorConfig.defaults().withTile(16, 0));
        assertTrue(e.getMessage().contains("0x0"), e.getMessage());
    }

    /**
     * {@code --crf}: a network whose logits follow a two-region image but with speckle noise flips labels inside the
     * regions; DenseCRF over the image's own colours removes most of those flips, in predict and in predictAll
     * alike, and leaves the predictor without CRF unchanged.
     */
    @Test
    void denseCrfCleansSpeckleInsideFlatRegions() {
        int h = 40, w = 48, n = h * w;
        float[] pixels = new float[3 * n];
        int[] truth = new int[n];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                truth[y * w + x] = x * 3 < w * 2 - y / 2 ? 0 : 1;
                for (int c = 0; c < 3; c++) {
                    pixels[c * n + y * w + x] = truth[y * w + x] == 0 ? 0.2f : 0.8f;
                }
            }
        }
        ImagePixels image = new ImagePixels(3, h, w, pixels);
        Random noise = new Random(3);
        float[] speckle = new float[n];
        for (int i = 0; i < n; i++) {
            speckle[i] = noise.nextFloat() < 0.15 ? 3f : 0f;
        }
        LogitsFunction noisy = x -> {
            long hh = x.size(2), ww = x.size(3);
            float[] in = x.dup().data().asFloat();
            float[] out = new float[(int) (x.size(0) * 2 * hh * ww)];
            int m = (int) (hh * ww);
            for (int b = 0; b < x.size(0); b++) {
                for (int i = 0; i < m; i++) {
                    float v = in[(int) (b * 3 * m) + i];
                    float margin = (v - 0.5f) * 2f; // +-0.6: class 1 where bright
                    boolean flip = hh == h && ww == w && speckle[i] > 0;
                    float l1 = flip ? -margin : margin;
                    out[(int) (b * 2 * m) + i] = -l1 / 2;
                    out[(int) (b * 2 * m) + m + i] = l1 / 2;
                }
            }
            return org.nd4j.linalg.factory.Nd4j.create(out, new long[]{x.size(0), 2, hh, ww});
        };
        InferenceNetwork net = new InferenceNetwork(noisy, 3, 2, 1, 1);
        Predictor plain = new Predictor(net, null, PredictorConfig.defaults());
        Predictor withCrf = new Predictor(net, null, PredictorConfig.defaults().withCrf(
                new io.segnet.inference.crf.DenseCrfConfig(5, 10, 20, 13, 3, 3)));
        int before = errors(plain.predict(image).classMap(), truth);
        int[] refined = withCrf.predict(image).classMap();
        int after = errors(refined, truth);
        assertTrue(before > 0.1 * n, "the noise flips labels: " + before);
        assertTrue(after < before / 5, "DenseCRF removes most flips: " + before + " -> " + after);
        Sample sample = new Sample("a", 3, h, w, pixels, null, Sample.DEFAULT_IGNORE);
        assertArrayEquals(refined, withCrf.predictAll(List.of(sample, sample)).get(1).classMap(),
                "predictAll refines like predict");
        assertArrayEquals(refined, withCrf.refine(sample, plain.predict(sample)).classMap(),
                "refine of the plain prediction equals predict with the CRF");
        assertThrows(IllegalStateException.class, () -> plain.refine(sample, plain.predict(sample)));
    }

    private static int errors(int[] labels, int[] truth) {
        int e = 0;
        for (int i = 0; i < truth.length; i++) {
            e += labels[i] != truth[i] ? 1 : 0;
        }
        return e;
    }
}
