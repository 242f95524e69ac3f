package io.segnet.bench.data;

import io.segnet.data.SampleSource;
import io.segnet.data.batch.BatchOptions;
import io.segnet.data.batch.SegmentationBatchIterator;
import io.segnet.data.dataset.InMemorySource;
import io.segnet.data.dataset.MembraneDataset;
import io.segnet.data.dataset.SegmentationDataset;
import io.segnet.data.transform.ColorJitter;
import io.segnet.data.transform.Compose;
import io.segnet.data.transform.Normalize;
import io.segnet.data.transform.RandomFlip;
import io.segnet.data.transform.RandomRotation;
import io.segnet.data.transform.RandomScaleCrop;
import io.segnet.data.transform.Transform;
import org.nd4j.linalg.dataset.DataSet;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Measures the data pipeline's own throughput, in images per second, on the membrane data set with the
 * full training augmentation (flips, scale 0.5-1.5 with a 256x256 crop, rotation up to 15 degrees,
 * brightness/contrast jitter, normalisation) and batching into ND4J arrays, with no model attached.
 * Two cases: decoding the PNG files every time, and decoding once into memory.
 *
 * <p>Usage: {@code PipelineBenchmark [membraneTrainDir] [seconds per case, default 10]}; the folder
 * defaults to {@code data/membrane/train} found from the working directory. Compare the numbers with a
 * training step's consumption (batch size / step time): a U-Net step on 256x256 inputs on a CPU takes
 * seconds per batch, so the pipeline needs only a small fraction of one core.
 */
public final class PipelineBenchmark {

    private PipelineBenchmark() {
    }

    /** Runs the benchmark and prints one line per case. */
    public static void main(String[] args) {
        Path root = args.length > 0 ? Path.of(args[0]) : MembraneDataset.locate();
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        SegmentationDataset disk = MembraneDataset.load(root);
        Transform augment = Compose.of(RandomFlip.horizontal(0.5), RandomFlip.vertical(0.5),
                new RandomScaleCrop(0.5, 1.5, 256, 256), RandomRotation.degrees(15),
                new ColorJitter(0.2, 0.2, 0), Normalize.of(0.5f, 0.25f));
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf(Locale.ROOT, "membrane: %d images 512x512 from %s; %d cores; batch 8 of 1x256x256%n",
                disk.size(), root, cores);
        long t0 = System.nanoTime();
        InMemorySource memory = InMemorySource.load(disk, Math.max(1, cores));
        System.out.printf(Locale.ROOT, "decoding all %d PNG pairs into memory: %.0f ms%n", disk.size(),
                (System.nanoTime() - t0) / 1e6);
        for (int workers : new int[]{1, 2}) {
            run("from disk (decode + augment + batch)", disk, augment, workers, seconds);
            run("in memory (augment + batch)", memory, augment, workers, seconds);
        }
    }

    private static void run(String name, SampleSource source, Transform augment, int workers, double seconds) {
        BatchOptions options = BatchOptions.of(8).withWorkers(workers).withPrefetch(2 * workers + 2).withSeed(1);
        try (SegmentationBatchIterator it = new SegmentationBatchIterator(source, augment, options)) {
            drain(it, 1);
            long images = 0;
            long start = System.nanoTime();
            long deadline = start + (long) (seconds * 1e9);
            while (System.nanoTime() < deadline) {
                images += drain(it, 1);
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "%-38s workers=%d: %7.1f images/s (%d images in %.1f s, epoch %d)%n",
                    name, workers, images / elapsed, images, elapsed, it.epoch());
        }
    }

    /** Consumes {@code epochs} epochs; returns the number of images. */
    private static long drain(SegmentationBatchIterator it, int epochs) {
        long images = 0;
        for (int e = 0; e < epochs; e++) {
            it.reset();
            while (it.hasNext()) {
                DataSet batch = it.next();
                images += batch.getFeatures().size(0);
            }
        }
        return images;
    }
}
