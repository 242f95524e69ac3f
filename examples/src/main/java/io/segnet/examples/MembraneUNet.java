package io.segnet.examples;

import io.segnet.data.Sample;
import io.segnet.data.SampleSource;
import io.segnet.data.dataset.InMemorySource;
import io.segnet.data.dataset.MembraneDataset;
import io.segnet.data.dataset.SegmentationDataset;
import io.segnet.data.dataset.Split;
import io.segnet.data.io.ImagePixels;
import io.segnet.data.transform.Compose;
import io.segnet.data.transform.RandomFlip;
import io.segnet.data.transform.RandomRotation;
import io.segnet.data.transform.RandomScaleCrop;
import io.segnet.inference.Evaluation;
import io.segnet.inference.Predictor;
import io.segnet.inference.PredictorConfig;
import io.segnet.inference.Preprocessing;
import io.segnet.inference.render.Overlay;
import io.segnet.inference.render.Palette;
import io.segnet.metrics.ClassMetrics;
import io.segnet.metrics.MetricConfig;
import io.segnet.metrics.MetricReport;
import io.segnet.models.LossConfig;
import io.segnet.models.ModelConfig;
import io.segnet.models.Upsampling;
import io.segnet.models.encoder.SmallEncoderConfig;
import io.segnet.models.unet.UNetConfig;
import io.segnet.train.OptimizerType;
import io.segnet.train.Trainer;
import io.segnet.train.TrainerConfig;
import io.segnet.train.TrainingData;
import io.segnet.train.TrainingResult;
import io.segnet.train.checkpoint.Checkpoint;
import io.segnet.train.checkpoint.RunDirectory;
import io.segnet.train.schedule.ScheduleConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * U-Net on the membrane data (the ISBI 2012 EM stack of the U-Net paper: 30 grayscale 512x512 images, masks 0 =
 * membrane, 255 = cell): 27 images for training, 3 held out (a seeded split), augmentation by random flips, rotation,
 * scale and 128x128 crops; evaluation on the whole held-out images (sliding window of 256x256 tiles with horizontal
 * flip averaging), reporting pixel accuracy and the membrane class's Dice. Writes the run folder plus
 * {@code metrics.json} and {@code overlays/} for the held-out images.
 *
 * <pre>java -cp ... io.segnet.examples.MembraneUNet [output-folder] [--epochs N] [--overwrite]</pre>
 */
public final class MembraneUNet {

    /** Entries this example writes besides the training run's. */
    public static final Set<String> OUTPUTS = Set.of("metrics.json", "overlays");

    /**
     * Settings.
     *
     * @param output    output folder (default {@code runs/membrane})
     * @param overwrite replace a previous run there
     * @param seed      split, initialisation and augmentation seed (42)
     * @param epochs    passes over the training crops (40)
     * @param repeats   crops drawn from each training image per epoch (4)
     * @param crop      crop size (128)
     * @param batchSize crops per step (8)
     */
    public record Options(Path output, boolean overwrite, long seed, int epochs, int repeats, int crop,
                          int batchSize) {

        /** The defaults, writing to {@code output}. */
        public static Options defaults(Path output) {
            return new Options(output, false, 42, 40, 4, 128, 8);
        }
    }

    /**
     * The outcome.
     *
     * @param report        the full report on the held-out images
     * @param pixelAccuracy pixel accuracy on the held-out images
     * @param membraneDice  Dice of the membrane class on the held-out images
     * @param training      the training run
     */
    public record Result(MetricReport report, double pixelAccuracy, double membraneDice, TrainingResult training) {
    }

    private MembraneUNet() {
    }

    /** U-Net of base width 16 and 4 poolings, batch norm, transposed convolutions (inputs: multiples of 16). */
    public static ModelConfig model(int crop) {
        return new UNetConfig(1, 2, crop, crop, new SmallEncoderConfig(16, 4, true), Upsampling.TRANSPOSED, true,
                List.of(), LossConfig.crossEntropy());
    }

    /** Runs the example. */
    public static Result run(Options o, PrintStream out) throws IOException {
        long start = System.nanoTime();
        RunDirectory run = RunDirectory.create(o.output(), o.overwrite(), OUTPUTS);
        SegmentationDataset all = MembraneDataset.load();
        Split<SegmentationDataset> split = all.split(3, o.seed());
        InMemorySource train = InMemorySource.load(split.train(), 2);
        InMemorySource heldOut = InMemorySource.load(split.validation(), 2);
        out.printf(Locale.ROOT, "membrane: %d training images, held out %s%n", train.size(),
                split.validation().stems());
        Preprocessing preprocessing = Preprocessing.normalize(0.5, 0.25);
        var augmentation = Compose.of(RandomFlip.horizontal(0.5), RandomFlip.vertical(0.5),
                new RandomRotation(-10, 10, 0.5, 0f), new RandomScaleCrop(0.8, 1.25, o.crop(), o.crop()));
        TrainingData data = TrainingData.of(new Repeated(train, o.repeats()), augmentation, heldOut, preprocessing)
                .describedAs("membrane held out " + split.validation().stems() + " seed=" + o.seed(), null);
        TrainerConfig config = TrainerConfig.defaults().withEpochs(o.epochs()).withBatchSize(o.batchSize())
                .withOptimizer(OptimizerType.ADAM, 2e-3).withSchedule(ScheduleConfig.poly().withWarmup(30, 0.1))
                .withEarlyStopping(io.segnet.train.Metric.PIXEL_ACCURACY, 0, 0).withSeed(o.seed())
                .withReporting(true, 10);
        TrainingResult trained = new Trainer(config).train(model(o.crop()), data, run);

        Checkpoint.Contents best = Checkpoint.load(run.best());
        PredictorConfig inference = PredictorConfig.defaults().withTile(256, 256).withFlips(true, false)
                .withTileBatch(4);
        Predictor predictor = Predictor.of(best.model(), preprocessing, inference);
        Palette palette = new Palette(List.of(0xFF3030, 0x000000));
        Overlay.Style style = Overlay.Style.defaults().withBackgroundClass(1);
        MetricReport report = Evaluation.run(predictor, heldOut, MetricConfig.of(MembraneDataset.CLASS_NAMES), 1,
                (index, sample, prediction) -> {
                    try {
                        Overlay.write(run.resolve("overlays").resolve(sample.id() + ".png"),
                                new ImagePixels(1, sample.height(), sample.width(), sample.image()),
                                prediction.classMap(), palette, MembraneDataset.CLASS_NAMES, style, true);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
        report.writeJson(run.resolve("metrics.json"), true);
        ClassMetrics membrane = report.classes().get(0);
        out.println(report.toConsoleTable());
        out.printf(Locale.ROOT, "held-out images %s: pixel accuracy %.4f, membrane Dice %.4f (best.zip of epoch %d);"
                        + " wall time %.1f s; output folder %s%n", split.validation().stems(), report.pixelAccuracy(),
                membrane.dice(), trained.bestEpoch(), (System.nanoTime() - start) / 1e9, run.path().toAbsolutePath());
        return new Result(report, report.pixelAccuracy(), membrane.dice(), trained);
    }

    /** Each sample of a source {@code times} times (index {@code i} is sample {@code i % n}, augmented anew). */
    static final class Repeated implements SampleSource {
        private final SampleSource base;
        private final int times;

        Repeated(SampleSource base, int times) {
            if (times < 1) {
                throw new IllegalArgumentException("repeats must be >= 1, got " + times);
            }
            this.base = base;
            this.times = times;
        }

        @Override
        public int size() {
            return base.size() * times;
        }

        @Override
        public Sample get(int index) {
            return base.get(java.util.Objects.checkIndex(index, size()) % base.size());
        }

        @Override
        public String id(int index) {
            return base.id(index % base.size());
        }

        @Override
        public int numClasses() {
            return base.numClasses();
        }

        @Override
        public List<String> classNames() {
            return base.classNames();
        }
    }

    /** {@code MembraneUNet [output-folder] [--epochs N] [--overwrite]}. */
    public static void main(String[] args) throws IOException {
        Options d = Options.defaults(Path.of("runs", "membrane"));
        Path output = d.output();
        boolean overwrite = false;
        int epochs = d.epochs();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--overwrite" -> overwrite = true;
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                default -> output = Path.of(args[i]);
            }
        }
        run(new Options(output, overwrite, d.seed(), epochs, d.repeats(), d.crop(), d.batchSize()), System.out);
        System.exit(0);
    }
}
