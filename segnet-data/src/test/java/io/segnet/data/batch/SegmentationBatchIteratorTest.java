package io.segnet.data.batch;

import io.segnet.data.DataException;
import io.segnet.data.DataProblem;
import io.segnet.data.Sample;
import io.segnet.data.SampleSource;
import io.segnet.data.dataset.InMemorySource;
import io.segnet.data.m2nist.M2nistGenerator;
import io.segnet.data.transform.ColorJitter;
import io.segnet.data.transform.Compose;
import io.segnet.data.transform.RandomFlip;
import io.segnet.data.transform.RandomRotation;
import io.segnet.data.transform.RandomScaleCrop;
import io.segnet.data.transform.Transform;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SegmentationBatchIteratorTest {

    /** Sample i: 1x4x6, every image value i, mask i % 3 except pixel 0 which is ignored (255). */
    static InMemorySource numbered(int n) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] img = new float[24];
            Arrays.fill(img, i);
            int[] mask = new int[24];
            Arrays.fill(mask, i % 3);
            mask[0] = 255;
            samples.add(Sample.of("s" + i, 1, 4, 6, img, mask));
        }
        return InMemorySource.of(samples, 3, List.of("a", "b", "c"));
    }

    private static List<Integer> ids(SegmentationBatchIterator it) {
        List<Integer> ids = new ArrayList<>();
        while (it.hasNext()) {
            INDArray f = it.next().getFeatures();
            for (int k = 0; k < f.size(0); k++) {
                ids.add((int) f.getFloat(k, 0, 0, 0));
            }
        }
        return ids;
    }

    @Test
    void batchesHaveTheLossLayerLayout() {
        try (SegmentationBatchIterator it = new SegmentationBatchIterator(numbered(10), BatchOptions.of(4).withShuffle(false))) {
            assertEquals(3, it.numBatches());
            DataSet b = it.next();
            assertArrayEquals(new long[]{4, 1, 4, 6}, b.getFeatures().shape());
            assertArrayEquals(new long[]{4, 1, 4, 6}, b.getLabels().shape());
            assertEquals(DataType.FLOAT, b.getFeatures().dataType());
            assertEquals(DataType.FLOAT, b.getLabels().dataType());
            assertEquals(2f, b.getFeatures().getFloat(2, 0, 3, 5));
            assertEquals(2f, b.getLabels().getFloat(2, 0, 3, 5));      // class 2 % 3
            assertEquals(255f, b.getLabels().getFloat(1, 0, 0, 0));     // ignored pixel
            it.next();
            DataSet last = it.next();
            assertArrayEquals(new long[]{2, 1, 4, 6}, last.getFeatures().shape());
            assertFalse(it.hasNext());
            NoSuchElementException e = assertThrows(NoSuchElementException.class, it::next);
            assertTrue(e.getMessage().contains("call reset()"), e.getMessage());
            assertEquals(3, it.totalOutcomes());
            assertEquals(24, it.inputColumns());
            assertEquals(List.of("a", "b", "c"), it.getLabels());
        }
    }

    @Test
    void everyEpochVisitsEverySampleOnceInANewOrder() {
        try (SegmentationBatchIterator it = new SegmentationBatchIterator(numbered(23), BatchOptions.of(5).withSeed(3))) {
            List<Integer> epoch0 = ids(it);
            it.reset();
            assertEquals(1, it.epoch());
            List<Integer> epoch1 = ids(it);
            assertEquals(23, epoch0.size());
            assertEquals(23, new HashSet<>(epoch0).size());
            assertEquals(new HashSet<>(epoch0), new HashSet<>(epoch1));
            assertNotEquals(epoch0, epoch1);
            it.setEpoch(0);
            assertEquals(epoch0, ids(it));
        }
    }

    @Test
    void resetBeforeTakingABatchKeepsTheEpoch() {
        try (SegmentationBatchIterator it = new SegmentationBatchIterator(numbered(8), BatchOptions.of(4))) {
            it.reset();
            assertEquals(0, it.epoch());
            it.next();
            it.reset();
            assertEquals(1, it.epoch());
        }
    }

    @Test
    void dropLastDropsThePartialBatch() {
        try (SegmentationBatchIterator it = new SegmentationBatchIterator(numbered(10),
                BatchOptions.of(4).withDropLast(true))) {
            assertEquals(8, ids(it).size());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SegmentationBatchIterator(numbered(3), BatchOptions.of(4).withDropLast(true)));
        assertTrue(e.getMessage().contains("fewer than one batch of 4"), e.getMessage());
    }

    @Test
    void augmentedBatchesDoNotDependOnTheNumberOfWorkers() {
        M2nistGenerator gen = M2nistGenerator.of(5, 40);
        Transform t = Compose.of(RandomFlip.horizontal(0.5), new RandomScaleCrop(0.75, 1.25, 48, 64),
                RandomRotation.degrees(10), new ColorJitter(0.2, 0.2, 0));
        List<INDArray> one = collect(gen, t, 1, 1);
        List<INDArray> three = collect(gen, t, 3, 6);
        assertEquals(one.size(), three.size());
        for (int i = 0; i < one.size(); i++) {
            assertArrayEquals(one.get(i).shape(), three.get(i).shape());
            assertArrayEquals(one.get(i).data().asFloat(), three.get(i).data().asFloat(), "array " + i + " bitwise");
        }
        assertArrayEquals(new long[]{8, 1, 48, 64}, one.get(0).shape());
    }

    @Test
    void anyBatchCanBeBuiltAloneAsNextDeliversIt() {
        M2nistGenerator gen = M2nistGenerator.of(5, 40);
        Transform t = Compose.of(RandomFlip.horizontal(0.5), new RandomScaleCrop(0.75, 1.25, 48, 64));
        List<INDArray> sequential = collect(gen, t, 2, 2);
        try (SegmentationBatchIterator other = new SegmentationBatchIterator(gen, t,
                BatchOptions.of(8).withSeed(9).withWorkers(1))) {
            int k = 0;
            for (int epoch = 0; epoch < 2; epoch++) {
                for (int b = 0; b < other.numBatches(); b++) {
                    DataSet alone = other.batch(epoch, b);
                    assertArrayEquals(sequential.get(k++).data().asFloat(), alone.getFeatures().data().asFloat(),
                            "epoch " + epoch + " batch " + b);
                    assertArrayEquals(sequential.get(k++).data().asFloat(), alone.getLabels().data().asFloat());
                }
            }
            assertEquals(sequential.size(), k);
            assertThrows(IndexOutOfBoundsException.class, () -> other.batch(0, other.numBatches()));
        }
    }

    private static List<INDArray> collect(SampleSource source, Transform t, int workers, int prefetch) {
        List<INDArray> out = new ArrayList<>();
        try (SegmentationBatchIterator it = new SegmentationBatchIterator(source, t,
                BatchOptions.of(8).withSeed(9).withWorkers(workers).withPrefetch(prefetch))) {
            for (int epoch = 0; epoch < 2; epoch++) {
                while (it.hasNext()) {
                    DataSet b = it.next();
                    out.add(b.getFeatures());
                    out.add(b.getLabels());
                }
                it.reset();
            }
        }
        return out;
    }

    @Test
    void samplesOfDifferentSizeShareABatchPaddedToTheLargest() {
        float[] small = {1, 2, 3, 4, 5, 6};
        List<Sample> samples = List.of(Sample.of("tall", 1, 4, 2, new float[8], new int[8]),
                Sample.of("wide", 1, 2, 3, small, new int[]{1, 1, 0, 0, 1, 1}));
        try (SegmentationBatchIterator it = new SegmentationBatchIterator(InMemorySource.of(samples, 2,
                List.of("a", "b")), BatchOptions.of(2).withShuffle(false))) {
            DataSet ds = it.next();
            assertArrayEquals(new long[]{2, 1, 4, 3}, ds.getFeatures().shape(), "4 = the taller's, 3 = the wider's");
            assertEquals(0f, ds.getFeatures().getFloat(0, 0, 0, 2), "padded image pixels are 0");
            assertEquals(255f, ds.getLabels().getFloat(0, 0, 0, 2), "padded mask pixels are ignored");
            assertEquals(6f, ds.getFeatures().getFloat(1, 0, 1, 2));
            assertEquals(1f, ds.getLabels().getFloat(1, 0, 1, 2));
            assertEquals(255f, ds.getLabels().getFloat(1, 0, 3, 0));
        }
        List<Sample> mixed = List.of(Sample.of("gray", 1, 2, 2, new float[4], new int[4]),
                Sample.of("rgb", 3, 2, 2, new float[12], new int[4]));
        try (SegmentationBatchIterator it = new SegmentationBatchIterator(InMemorySource.of(mixed, 2,
                List.of("a", "b")), BatchOptions.of(2).withShuffle(false))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, it::next);
            assertTrue(e.getMessage().contains("'gray' (1x2x2) and 'rgb' (3x2x2)"), e.getMessage());
            assertTrue(e.getMessage().contains("--image-channels"), e.getMessage());
        }
    }

    @Test
    void dataErrorsOfAWorkerReachTheConsumerUnchanged() {
        InMemorySource good = numbered(6);
        SampleSource failing = new SampleSource() {
            public int size() {
                return 6;
            }

            public Sample get(int index) {
                if (index == 4) {
                    throw DataException.of(Path.of("masks/4.png"), DataProblem.Kind.BAD_MASK_VALUE, "mask value 9",
                            "fix it");
                }
                return good.get(index);
            }

            public String id(int index) {
                return good.id(index);
            }

            public int numClasses() {
                return 3;
            }

            public List<String> classNames() {
                return good.classNames();
            }
        };
        try (SegmentationBatchIterator it = new SegmentationBatchIterator(failing, BatchOptions.of(2).withShuffle(false))) {
            it.next();
            it.next();
            DataException e = assertThrows(DataException.class, it::next);
            assertEquals("masks/4.png: mask value 9. fix it", e.getMessage());
        }
    }

    @Test
    void preProcessorRunsAndSamplesWithoutMasksGiveNoLabels() {
        List<Sample> samples = List.of(Sample.of("x", 1, 1, 2, new float[]{1, 2}, null));
        try (SegmentationBatchIterator it = new SegmentationBatchIterator(InMemorySource.of(samples, 2,
                List.of("a", "b")), BatchOptions.of(1))) {
            it.setPreProcessor(ds -> ds.getFeatures().muli(10));
            DataSet b = it.next();
            assertNull(b.getLabels());
            assertEquals(20f, b.getFeatures().getFloat(0, 0, 0, 1));
        }
        try (SegmentationBatchIterator it = new SegmentationBatchIterator(numbered(4), BatchOptions.of(2))) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> it.next(3));
            assertTrue(e.getMessage().contains("batchSize 3"), e.getMessage());
            assertEquals(2, it.next(2).getFeatures().size(0));
        }
    }
}
