package io.segnet.spark;

import io.segnet.data.Sample;
import io.segnet.data.SampleSource;
import io.segnet.data.dataset.DatasetConfig;
import io.segnet.data.dataset.SegmentationDataset;
import io.segnet.data.m2nist.M2nistConfig;
import io.segnet.data.m2nist.M2nistGenerator;
import io.segnet.data.transform.RandomFlip;
import io.segnet.inference.Preprocessing;
import io.segnet.data.io.ImageFiles;
import io.segnet.models.LossConfig;
import io.segnet.models.ModelConfig;
import io.segnet.models.Upsampling;
import io.segnet.models.encoder.SmallEncoderConfig;
import io.segnet.models.unet.UNetConfig;
import io.segnet.train.OptimizerType;
import io.segnet.train.Trainer;
import io.segnet.train.TrainerConfig;
import io.segnet.train.TrainingData;
import io.segnet.train.checkpoint.RunDirectory;
import io.segnet.train.log.ProgressReporter;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Tiny data on disk, a tiny trained model and a loopback-only Spark context, for the segnet-spark tests. */
final class SparkFixtures {

    /** 28x28 one-digit M2NIST: 11 classes (digits and background). */
    static final DatasetConfig DATASET = DatasetConfig.of(11).withClassNames(List.of("0", "1", "2", "3", "4", "5",
            "6", "7", "8", "9", "background"));

    private SparkFixtures() {
    }

    /**
     * A Spark context on {@code local[threads, maxFailures]}: loopback only, no UI, small shuffle partitions; a task
     * may fail {@code maxFailures - 1} times and be retried.
     */
    static JavaSparkContext spark(int threads, int maxFailures) {
        SparkConf conf = new SparkConf().setMaster("local[" + threads + "," + maxFailures + "]")
                .setAppName("segnet-spark-test").set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.default.parallelism", String.valueOf(threads));
        return new JavaSparkContext(conf);
    }

    /** Writes {@code n} M2NIST images and masks (gray PNGs) into {@code dir/images} and {@code dir/masks}. */
    static SegmentationDataset writeData(Path dir, long seed, int n) throws IOException {
        M2nistGenerator source = M2nistGenerator.of(seed, n, new M2nistConfig(28, 28, 1, 1, 0));
        return writeData(dir, source);
    }

    /** Writes every sample of {@code source} as gray PNGs into {@code dir/images} and {@code dir/masks}. */
    static SegmentationDataset writeData(Path dir, SampleSource source) throws IOException {
        Path images = Files.createDirectories(dir.resolve("images"));
        Path masks = Files.createDirectories(dir.resolve("masks"));
        for (int i = 0; i < source.size(); i++) {
            Sample s = source.get(i);
            byte[] pixels = new byte[s.height() * s.width()];
            byte[] classes = new byte[pixels.length];
            for (int p = 0; p < pixels.length; p++) {
                pixels[p] = (byte) Math.round(s.image()[p] * 255);
                classes[p] = (byte) s.mask()[p];
            }
            String stem = String.format("img%03d", i);
            ImageFiles.writeGrayPng(images.resolve(stem + ".png"), s.height(), s.width(), pixels);
            ImageFiles.writeGrayPng(masks.resolve(stem + ".png"), s.height(), s.width(), classes);
        }
        return SegmentationDataset.fromFolders(images, masks, DATASET);
    }

    /** The U-Net of width 4 and depth 1 used by the trainer's own tests, for 28x28 gray M2NIST. */
    static ModelConfig model() {
        return new UNetConfig(1, 11, 28, 28, new SmallEncoderConfig(4, 1, true), Upsampling.TRANSPOSED, true,
                List.of(), LossConfig.crossEntropy());
    }

    /** Batches of 4, Adam 1e-2 with poly decay, no bar, a step record per iteration, one worker thread. */
    static TrainerConfig trainer(int epochs) {
        return TrainerConfig.defaults().withEpochs(epochs).withBatchSize(4).withOptimizer(OptimizerType.ADAM, 1e-2)
                .withReporting(false, 1).withSeed(3).withWorkers(1);
    }

    /** Training data of a written data set, with a random horizontal flip and normalisation. */
    static TrainingData trainingData(SegmentationDataset train, SegmentationDataset validation) {
        return TrainingData.of(train, RandomFlip.horizontal(0.5), validation, Preprocessing.normalize(0.1, 0.3));
    }

    /** Trains the tiny model for {@code epochs} on one machine into {@code run}; returns its best.zip. */
    static Path trainedModel(Path run, SegmentationDataset train, SegmentationDataset validation, int epochs)
            throws IOException {
        RunDirectory dir = RunDirectory.create(run, false);
        new Trainer(trainer(epochs)).progress(ProgressReporter.silent()).stopOnShutdown(false)
                .train(model(), trainingData(train, validation), dir);
        return dir.best();
    }
}
