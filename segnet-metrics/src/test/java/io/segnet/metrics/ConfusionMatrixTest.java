package io.segnet.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class ConfusionMatrixTest {

    /** 5 classes; 2 ignored pixels (one of them predicted as 3); class 3 only predicted; class 4 absent. */
    static final int[] TRUTH = {0, 0, 0, 1, 1, 2, 255, 255, 0, 1};
    static final int[] PREDICTION = {0, 0, 1, 1, 3, 2, 3, 0, 0, 1};

    /** The counts of TRUTH / PREDICTION, worked out by hand: rows truth, columns prediction. */
    static final long[][] EXPECTED = {
        {3, 1, 0, 0, 0},
        {0, 2, 0, 1, 0},
        {0, 0, 1, 0, 0},
        {0, 0, 0, 0, 0},
        {0, 0, 0, 0, 0},
    };

    static float[] toFloat(int[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    @Test
    void countsHandComputedIntMaps() {
        ConfusionMatrix m = new ConfusionMatrix(5).add(PREDICTION, TRUTH);
        assertArrayEquals(EXPECTED, m.toArray());
        assertEquals(8, m.countedPixels());
        assertEquals(2, m.ignoredPixels());
        assertArrayEquals(new long[] {4, 3, 1, 0, 0}, m.truthTotals());
        assertArrayEquals(new long[] {3, 3, 1, 1, 0}, m.predictionTotals());
        assertArrayEquals(new long[] {3, 2, 1, 0, 0}, m.truePositives());
        assertEquals(1, m.count(1, 3));
        assertEquals(0, m.count(3, 1));
    }

    @Test
    void everyAcceptedShapeAndTypeCountsTheSame() {
        ConfusionMatrix expected = new ConfusionMatrix(5).add(PREDICTION, TRUTH);
        float[] p = toFloat(PREDICTION);
        float[] t = toFloat(TRUTH);
        long[][] shapes = {{2, 5}, {1, 2, 5}, {1, 1, 2, 5}};
        for (long[] shape : shapes) {
            INDArray pa = Nd4j.create(p, shape, 'c');
            INDArray ta = Nd4j.create(t, shape, 'c');
            assertEquals(expected, new ConfusionMatrix(5).add(pa, ta), "float " + java.util.Arrays.toString(shape));
            for (DataType type : new DataType[] {DataType.INT, DataType.LONG, DataType.DOUBLE, DataType.HALF}) {
                assertEquals(expected, new ConfusionMatrix(5).add(pa.castTo(type), ta.castTo(type)), type.toString());
            }
        }
        // Prediction [N,H,W] (argmax output) against labels [N,1,H,W] (segnet-data): same images, accepted.
        INDArray pred3 = Nd4j.create(p, new long[] {1, 2, 5}, 'c');
        INDArray truth4 = Nd4j.create(t, new long[] {1, 1, 2, 5}, 'c');
        assertEquals(expected, new ConfusionMatrix(5).add(pred3, truth4));
    }

    @Test
    void viewsAndFortranOrderAreReadCorrectly() {
        Random random = new Random(3);
        int n = 3;
        int h = 7;
        int w = 9;
        float[] p = new float[n * h * w];
        float[] t = new float[n * h * w];
        for (int i = 0; i < p.length; i++) {
            p[i] = random.nextInt(4);
            t[i] = random.nextInt(10) == 0 ? 255 : random.nextInt(4);
        }
        INDArray pa = Nd4j.create(p, new long[] {n, 1, h, w}, 'c');
        INDArray ta = Nd4j.create(t, new long[] {n, 1, h, w}, 'c');
        // Image 1 alone, as a view into the batch, against the same image copied out as int arrays.
        INDArray pView = pa.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
        INDArray tView = ta.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
        int[] pImage = new int[h * w];
        int[] tImage = new int[h * w];
        for (int i = 0; i < h * w; i++) {
            pImage[i] = (int) p[h * w + i];
            tImage[i] = (int) t[h * w + i];
        }
        ConfusionMatrix expected = new ConfusionMatrix(4).add(pImage, tImage);
        assertEquals(expected, new ConfusionMatrix(4).add(pView, tView));
        // A strided view (every other column) and an 'f'-ordered copy.
        INDArray pCols = pa.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.interval(0, 2, w));
        INDArray tCols = ta.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.interval(0, 2, w));
        assertEquals(new ConfusionMatrix(4).add(pCols.dup('c'), tCols.dup('c')),
                new ConfusionMatrix(4).add(pCols, tCols));
        assertEquals(new ConfusionMatrix(4).add(pa, ta), new ConfusionMatrix(4).add(pa.dup('f'), ta.dup('f')));
    }

    @Test
    void mergeOfTwoHalvesEqualsTheWhole() {
        Random random = new Random(11);
        int n = 4;
        int h = 16;
        int w = 12;
        float[] p = new float[n * h * w];
        float[] t = new float[n * h * w];
        for (int i = 0; i < p.length; i++) {
            p[i] = random.nextInt(6);
            t[i] = random.nextInt(8) == 0 ? 255 : random.nextInt(6);
        }
        INDArray pa = Nd4j.create(p, new long[] {n, 1, h, w}, 'c');
        INDArray ta = Nd4j.create(t, new long[] {n, 1, h, w}, 'c');
        ConfusionMatrix whole = new ConfusionMatrix(6).add(pa, ta);

        ConfusionMatrix first = new ConfusionMatrix(6).add(pa.get(NDArrayIndex.interval(0, 2)),
                ta.get(NDArrayIndex.interval(0, 2)));
        ConfusionMatrix second = new ConfusionMatrix(6).add(pa.get(NDArrayIndex.interval(2, 4)),
                ta.get(NDArrayIndex.interval(2, 4)));
        assertNotEquals(whole, first);
        assertEquals(whole, first.copy().merge(second));
        assertEquals(whole, second.merge(first));
        assertEquals(whole.countedPixels() + whole.ignoredPixels(), (long) n * h * w);
    }

    @Test
    void resetAndCopy() {
        ConfusionMatrix m = new ConfusionMatrix(5).add(PREDICTION, TRUTH);
        ConfusionMatrix copy = m.copy();
        m.reset();
        assertEquals(new ConfusionMatrix(5), m);
        assertEquals(0, m.ignoredPixels());
        assertArrayEquals(EXPECTED, copy.toArray());
        assertEquals(copy, ConfusionMatrix.fromCounts(EXPECTED, 255, 2));
    }

    @Test
    void scoresAreReducedByArgmaxWithTiesToTheLowerClass() {
        int c = 3;
        int n = 2;
        int hw = 4;
        // Scores chosen per pixel so that the argmax is known; pixel 3 of image 0 ties classes 1 and 2.
        int[] argmax = {2, 0, 1, 1, 0, 2, 2, 1};
        float[] scores = new float[n * c * hw];
        Random random = new Random(5);
        for (int img = 0; img < n; img++) {
            for (int q = 0; q < hw; q++) {
                for (int k = 0; k < c; k++) {
                    scores[(img * c + k) * hw + q] = -5 + random.nextFloat();
                }
                scores[(img * c + argmax[img * hw + q]) * hw + q] = 3;
            }
        }
        scores[(2) * hw + 3] = 3; // image 0, class 2, pixel 3: ties with class 1
        int[] truth = {2, 0, 0, 1, 255, 2, 1, 1};
        INDArray s = Nd4j.create(scores, new long[] {n, c, 2, 2}, 'c');
        INDArray t = Nd4j.create(toFloat(truth), new long[] {n, 1, 2, 2}, 'c');
        ConfusionMatrix expected = new ConfusionMatrix(c).add(argmax, truth);
        assertEquals(expected, new ConfusionMatrix(c).addScores(s, t));
        // Softmax probabilities give the same argmax; so does one image as [C,H,W].
        INDArray probabilities = org.nd4j.linalg.ops.transforms.Transforms.softmax(
                s.permute(0, 2, 3, 1).reshape(n * hw, c).dup(), true).reshape(n, 2, 2, c).permute(0, 3, 1, 2);
        assertEquals(expected, new ConfusionMatrix(c).addScores(probabilities, t));
        ConfusionMatrix firstImage = new ConfusionMatrix(c).add(java.util.Arrays.copyOf(argmax, hw),
                java.util.Arrays.copyOf(truth, hw));
        assertEquals(firstImage, new ConfusionMatrix(c).addScores(s.get(NDArrayIndex.point(0)),
                t.get(NDArrayIndex.point(0), NDArrayIndex.point(0))));
    }

    @Test
    void nanScoresFail() {
        INDArray s = Nd4j.zeros(DataType.FLOAT, 1, 3, 2, 2);
        s.putScalar(new long[] {0, 1, 1, 0}, Float.NaN);
        INDArray t = Nd4j.zeros(DataType.FLOAT, 1, 1, 2, 2);
        ConfusionMatrix m = new ConfusionMatrix(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.addScores(s, t));
        assertTrue(e.getMessage().contains("1 NaN values"), e.getMessage());
        assertEquals(new ConfusionMatrix(3), m);
    }

    @Test
    void labelOutsideTheClassesFailsNamingValueAndCountAndLeavesTheMatrixUnchanged() {
        ConfusionMatrix m = new ConfusionMatrix(5).add(PREDICTION, TRUTH);
        ConfusionMatrix before = m.copy();
        int[] truth = {0, 7, 1, 7, 7, -1, 2, 255};
        int[] prediction = {0, 0, 1, 1, 1, 1, 2, 9};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.add(prediction, truth));
        assertTrue(e.getMessage().contains("value 7 in 3 pixels"), e.getMessage());
        assertTrue(e.getMessage().contains("value -1 in 1 pixel"), e.getMessage());
        assertTrue(e.getMessage().contains("ignore value 255"), e.getMessage());
        assertEquals(before, m);

        // A prediction outside the classes at a counted pixel; the same value at an ignored pixel is not read.
        int[] truth2 = {0, 1, 255, 1};
        int[] prediction2 = {0, 255, 255, 255};
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> m.add(prediction2, truth2));
        assertTrue(e2.getMessage().contains("prediction holds ids outside the class range [0, 5)"), e2.getMessage());
        assertTrue(e2.getMessage().contains("value 255 in 2 pixels"), e2.getMessage());
        assertEquals(before, m);

        // Through an INDArray, the message locates the first offending pixel.
        INDArray t = Nd4j.create(new float[] {0, 1, 2, 3, 0, 1, 5, 0}, new long[] {2, 1, 2, 2}, 'c');
        INDArray p = Nd4j.zeros(DataType.FLOAT, 2, 1, 2, 2);
        IllegalArgumentException e3 = assertThrows(IllegalArgumentException.class, () -> m.add(p, t));
        assertTrue(e3.getMessage().contains("value 5 in 1 pixel"), e3.getMessage());
        assertTrue(e3.getMessage().contains("image 1, row 1, column 0"), e3.getMessage());
        assertEquals(before, m);
    }

    @Test
    void nonIntegerLabelsFail() {
        INDArray t = Nd4j.create(new float[] {0, 1.5f, 1.5f, 2}, new long[] {2, 2}, 'c');
        INDArray p = Nd4j.zeros(DataType.FLOAT, 2, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ConfusionMatrix(3).add(p, t));
        assertTrue(e.getMessage().contains("truth holds values that are not integer class ids: value 1.5 in 2 pixels"),
                e.getMessage());
    }

    @Test
    void shapesThatDifferFail() {
        ConfusionMatrix m = new ConfusionMatrix(3);
        INDArray p = Nd4j.zeros(DataType.FLOAT, 2, 1, 4, 4);
        INDArray t = Nd4j.zeros(DataType.FLOAT, 2, 1, 4, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.add(p, t));
        assertTrue(e.getMessage().contains("[2, 1, 4, 4]") && e.getMessage().contains("[2, 1, 4, 5]"),
                e.getMessage());
        IllegalArgumentException channels = assertThrows(IllegalArgumentException.class,
                () -> m.add(Nd4j.zeros(DataType.FLOAT, 2, 3, 4, 4), Nd4j.zeros(DataType.FLOAT, 2, 1, 4, 4)));
        assertTrue(channels.getMessage().contains("addScores"), channels.getMessage());
        IllegalArgumentException scores = assertThrows(IllegalArgumentException.class,
                () -> m.addScores(Nd4j.zeros(DataType.FLOAT, 2, 4, 4, 4), Nd4j.zeros(DataType.FLOAT, 2, 1, 4, 4)));
        assertTrue(scores.getMessage().contains("4 channels, but the matrix has 3 classes"), scores.getMessage());
        IllegalArgumentException lengths = assertThrows(IllegalArgumentException.class,
                () -> m.add(new int[3], new int[4]));
        assertTrue(lengths.getMessage().contains("3 pixels") && lengths.getMessage().contains("4"),
                lengths.getMessage());
        assertEquals(new ConfusionMatrix(3), m);
    }

    @Test
    void badConstructionAndMergeFail() {
        IllegalArgumentException inRange = assertThrows(IllegalArgumentException.class,
                () -> new ConfusionMatrix(3, 1));
        assertTrue(inRange.getMessage().contains("ignoreValue 1 is a class id"), inRange.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ConfusionMatrix(0));
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> new ConfusionMatrix(300));
        assertTrue(tooMany.getMessage().contains("255"), tooMany.getMessage());
        assertEquals(300, new ConfusionMatrix(300, -1).numClasses());
        assertThrows(IllegalArgumentException.class,
                () -> new ConfusionMatrix(3).merge(new ConfusionMatrix(4)));
        assertThrows(IllegalArgumentException.class,
                () -> new ConfusionMatrix(3).merge(new ConfusionMatrix(3, -1)));
        assertThrows(IllegalArgumentException.class,
                () -> ConfusionMatrix.fromCounts(new long[][] {{1, 2}, {3}}, 255));
        assertThrows(IllegalArgumentException.class,
                () -> ConfusionMatrix.fromCounts(new long[][] {{1, -2}, {3, 4}}, 255));
        assertThrows(IndexOutOfBoundsException.class, () -> new ConfusionMatrix(3).count(3, 0));
    }

    @Test
    void negativeIgnoreValueWorks() {
        int[] truth = {-1, 0, 1, -1};
        int[] prediction = {1, 0, 0, 0};
        ConfusionMatrix m = new ConfusionMatrix(2, -1).add(prediction, truth);
        assertArrayEquals(new long[][] {{1, 0}, {1, 0}}, m.toArray());
        assertEquals(2, m.ignoredPixels());
    }
}
