package io.segnet.spark;

import io.segnet.data.dataset.DatasetConfig;
import io.segnet.data.io.ImageFiles;
import io.segnet.data.transform.Augmentation;
import io.segnet.inference.FolderPrediction;
import io.segnet.inference.PredictorConfig;
import io.segnet.inference.Preprocessing;
import io.segnet.metrics.MetricConfig;
import io.segnet.metrics.MetricReport;
import io.segnet.metrics.Reduction;
import io.segnet.models.ModelConfig;
import io.segnet.models.SegmentationModels;
import io.segnet.train.OptimizerType;
import io.segnet.train.TrainerConfig;
import io.segnet.train.checkpoint.RunDirectory;
import io.segnet.train.log.ProgressReporter;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The entry point for {@code spark-submit}: {@code predict}, {@code evaluate} and {@code train} on a cluster, with
 * paths on any Hadoop file system. Run folders ({@code train --run}) are on the driver's file system.
 *
 * <pre>
 * spark-submit --class io.segnet.spark.SparkMain segnet-spark.jar predict --model hdfs:///m/best.zip \
 *     --input hdfs:///photos --output hdfs:///photos-masks
 * </pre>
 */
@Command(name = "segnet-spark", mixinStandardHelpOptions = true, version = "segnet-spark 0.1.0",
        description = "segnet on Apache Spark: distributed prediction, evaluation and data-parallel training.",
        subcommands = {SparkMain.Predict.class, SparkMain.Evaluate.class, SparkMain.Train.class,
                SparkMain.Benchmark.class})
public final class SparkMain implements Callable<Integer> {

    /** Runs a command; exits with its code. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command; returns its exit code (0 success, 1 failure, 2 usage). */
    public static int run(String... args) {
        return new CommandLine(new SparkMain()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println(cmd.getCommandName() + ": error: " + e.getMessage());
            return 1;
        }).execute(args);
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 2;
    }

    /** Options every command has. */
    static class Common {
        @Option(names = "--master", paramLabel = "URL", description = "Spark master when not run by spark-submit,"
                + " e.g. local[2].")
        String master;

        @Option(names = "--partitions", paramLabel = "N", description = "Partitions of the image list (default:"
                + " Spark's default parallelism).")
        Integer partitions;

        JavaSparkContext context(String name) {
            SparkConf conf = new SparkConf().setAppName("segnet " + name);
            if (master != null) {
                conf.setMaster(master);
            } else if (!conf.contains("spark.master")) {
                throw new IllegalArgumentException("no Spark master: run with spark-submit, or give --master local[2]"
                        + " (all cores of this machine: --master local[*])");
            }
            return new JavaSparkContext(conf);
        }

        int partitions(JavaSparkContext sc, int items) {
            return Math.max(1, Math.min(items, partitions != null ? partitions : sc.defaultParallelism()));
        }
    }

    /** Tiling and test-time augmentation flags, as {@code segnet predict}'s. */
    static class PredictorFlags {
        @Option(names = "--tile", paramLabel = "HxW", description = "Predict in sliding windows of this size.")
        String tile;

        @Option(names = "--overlap", defaultValue = "0.5", description = "Window overlap (default ${DEFAULT-VALUE}).")
        double overlap;

        @Option(names = "--flip", description = "Average with the horizontally flipped image.")
        boolean flip;

        PredictorConfig config() {
            PredictorConfig c = PredictorConfig.defaults().withFlips(flip, false);
            if (tile != null) {
                int[] hw = size(tile, "--tile");
                c = c.withTile(hw[0], hw[1]).withOverlap(overlap);
            }
            return c;
        }
    }

    static int[] size(String text, String option) {
        String[] p = text.toLowerCase(Locale.ROOT).split("x");
        try {
            int h = Integer.parseInt(p[0].strip());
            return new int[] {h, p.length > 1 ? Integer.parseInt(p[1].strip()) : h};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " " + text + " is not a size; give HxW, e.g. 512x512");
        }
    }

    @Command(name = "predict", mixinStandardHelpOptions = true, description = "Predict every image of a folder into"
            + " masks/, color/ and overlay/ PNGs, as segnet predict does.")
    static final class Predict implements Callable<Integer> {
        @CommandLine.Mixin
        Common common = new Common();
        @CommandLine.ArgGroup(exclusive = false)
        PredictorFlags predictor = new PredictorFlags();

        @Option(names = "--model", required = true, description = "best.zip, last.zip or an export (any file system).")
        String model;
        @Option(names = "--input", required = true, description = "Folder of images.")
        String input;
        @Option(names = "--output", required = true, description = "Output folder (never inside the input).")
        String output;
        @Option(names = "--outputs", split = ",", defaultValue = "index,color,overlay", description = "Which files:"
                + " index, color, overlay (default ${DEFAULT-VALUE}).")
        List<String> outputs;
        @Option(names = "--overwrite", description = "Replace files an earlier predict run wrote.")
        boolean overwrite;

        @Override
        public Integer call() throws IOException {
            Set<FolderPrediction.Output> kinds = EnumSet.noneOf(FolderPrediction.Output.class);
            outputs.forEach(o -> kinds.add(FolderPrediction.Output.parse(o)));
            SparkPrediction.Options options = SparkPrediction.Options.defaults().withOutputs(kinds)
                    .withOverwrite(overwrite).withPredictor(predictor.config());
            try (JavaSparkContext sc = common.context("predict")) {
                List<String> images = HadoopFiles.images(input, sc.hadoopConfiguration());
                if (images.isEmpty()) {
                    throw new IllegalArgumentException(input + " holds no image files (" + ImageFiles.EXTENSIONS + ")");
                }
                SparkPrediction.Summary s = SparkPrediction.run(sc, model, sc.parallelize(images,
                        common.partitions(sc, images.size())), output, options);
                System.out.printf(Locale.ROOT, "predicted %d images in %.1f s (%.2f images/s; %.1f s with reading the"
                        + " model and checking the output folder); wrote %d files under %s%n", s.images(),
                        s.jobSeconds(), s.images() / s.jobSeconds(), s.seconds(), s.files(), output);
                for (SparkPrediction.Failure f : s.failures()) {
                    System.out.println("  not predicted: " + f.image() + ": " + f.reason());
                }
                return s.failures().isEmpty() ? 0 : 1;
            }
        }
    }

    @Command(name = "evaluate", mixinStandardHelpOptions = true, description = "Score a model on images and masks.")
    static final class Evaluate implements Callable<Integer> {
        @CommandLine.Mixin
        Common common = new Common();
        @CommandLine.ArgGroup(exclusive = false)
        PredictorFlags predictor = new PredictorFlags();

        @Option(names = "--model", required = true, description = "best.zip, last.zip or an export.")
        String model;
        @Option(names = "--images", required = true, description = "Folder of images.")
        String images;
        @Option(names = "--masks", required = true, description = "Folder of index masks, named like the images.")
        String masks;
        @Option(names = "--mask-suffix", defaultValue = "", description = "Text between a mask's stem and extension.")
        String maskSuffix;
        @Option(names = "--ignore-value", defaultValue = "255", description = "Mask value not scored (default"
                + " ${DEFAULT-VALUE}).")
        int ignoreValue;
        @Option(names = "--imagewise", description = "Average the scores over images (default: over the data set).")
        boolean imagewise;

        @Override
        public Integer call() throws IOException {
            try (JavaSparkContext sc = common.context("evaluate")) {
                SparkModel.Loaded m = SparkModel.read(model, sc.hadoopConfiguration()).load();
                DatasetConfig dataset = DatasetConfig.of(m.classNames().size()).withClassNames(m.classNames())
                        .withIgnoreValue(ignoreValue).withMaskSuffix(maskSuffix)
                        .withImageChannels(m.model().config().inChannels());
                List<SparkEvaluation.ImageMask> pairs = SparkEvaluation.pairs(images, masks, dataset,
                        sc.hadoopConfiguration());
                MetricConfig metrics = MetricConfig.of(m.classNames())
                        .withIgnoreValue(m.model().config().loss().ignoreIndex())
                        .withReduction(imagewise ? Reduction.IMAGEWISE : Reduction.DATASET);
                MetricReport r = SparkEvaluation.run(sc, model, sc.parallelize(pairs,
                        common.partitions(sc, pairs.size())), dataset, predictor.config(), metrics);
                System.out.println(r.toConsoleTable());
                return 0;
            }
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true, description = "Data-parallel training; the run folder"
            + " (checkpoints, metrics, report) is on the driver.")
    static final class Train implements Callable<Integer> {
        @CommandLine.Mixin
        Common common = new Common();

        @Option(names = "--images", required = true, description = "Folder of training images.")
        String images;
        @Option(names = "--masks", required = true, description = "Folder of training index masks.")
        String masks;
        @Option(names = "--val-images", description = "Folder of validation images.")
        String valImages;
        @Option(names = "--val-masks", description = "Folder of validation masks.")
        String valMasks;
        @Option(names = "--classes", required = true, split = ",", description = "Class names, in id order.")
        List<String> classes;
        @Option(names = "--model", defaultValue = "deeplabv3plus", description = "Architecture (default"
                + " ${DEFAULT-VALUE}).")
        String architecture;
        @Option(names = "--size", required = true, paramLabel = "HxW", description = "Training image size (the"
                + " images' size, or the crop).")
        String size;
        @Option(names = "--crop", description = "Random crops of the --size.")
        boolean crop;
        @Option(names = "--flip", description = "Random horizontal flips.")
        boolean flip;
        @Option(names = "--normalize", defaultValue = "imagenet", description = "imagenet or none (default"
                + " ${DEFAULT-VALUE}).")
        String normalize;
        @Option(names = "--epochs", defaultValue = "10")
        int epochs;
        @Option(names = "--batch-size", defaultValue = "8", description = "Images per worker step (default"
                + " ${DEFAULT-VALUE}).")
        int batchSize;
        @Option(names = "--lr", defaultValue = "1e-3")
        double lr;
        @Option(names = "--seed", defaultValue = "42")
        long seed;
        @Option(names = "--workers", defaultValue = "2", description = "Data-parallel replicas (default"
                + " ${DEFAULT-VALUE}).")
        int workers;
        @Option(names = "--average-every", defaultValue = "1", description = "Steps per worker between averages"
                + " (default ${DEFAULT-VALUE}).")
        int averageEvery;
        @Option(names = "--run", required = true, description = "Run folder on the driver.")
        Path run;
        @Option(names = "--resume", description = "Continue the run in --run from its last.zip.")
        boolean resume;

        @Override
        public Integer call() throws IOException {
            int[] hw = size(size, "--size");
            Preprocessing pre = switch (normalize.toLowerCase(Locale.ROOT)) {
                case "imagenet" -> new Preprocessing(List.of(0.485, 0.456, 0.406), List.of(0.229, 0.224, 0.225),
                        null, null);
                case "none" -> Preprocessing.none();
                default -> throw new IllegalArgumentException("--normalize " + normalize + ": use imagenet or none");
            };
            ModelConfig model = SegmentationModels.config(architecture, 3, classes.size(), hw[0], hw[1]);
            DatasetConfig dataset = DatasetConfig.of(classes.size()).withClassNames(classes).withImageChannels(3);
            Augmentation aug = new Augmentation(crop ? List.of(hw[0], hw[1]) : List.of(), 1, 1, flip, false, 0, 0);
            TrainerConfig config = TrainerConfig.defaults().withEpochs(epochs).withBatchSize(batchSize)
                    .withOptimizer(OptimizerType.ADAM, lr).withSeed(seed);
            try (JavaSparkContext sc = common.context("train")) {
                var conf = sc.hadoopConfiguration();
                SparkTrainingData data = new SparkTrainingData(SparkEvaluation.pairs(images, masks, dataset, conf),
                        valImages == null ? null : SparkEvaluation.pairs(valImages, valMasks, dataset, conf), dataset,
                        aug, pre);
                SparkTraining t = SparkTraining.on(sc, config, data, new SparkTraining.Distribution(workers,
                        averageEvery));
                t.trainer().progress(ProgressReporter.lines(System.out));
                SparkTraining.Result r = resume ? t.resume(RunDirectory.resume(run))
                        : t.train(model, RunDirectory.create(run, false));
                double comm = r.rounds().stream().mapToDouble(SparkStepExecutor.RoundTiming::communicationSeconds)
                        .sum();
                double total = r.rounds().stream().mapToDouble(SparkStepExecutor.RoundTiming::seconds).sum();
                System.out.printf(Locale.ROOT, "%s after %d epochs; %d rounds, %.1f s of %.1f s outside the workers'"
                        + " steps%n", r.result().reason(), r.result().epochsCompleted(), r.rounds().size(), comm,
                        total);
                return 0;
            }
        }
    }

    @Command(name = "benchmark", mixinStandardHelpOptions = true, description = "Throughput of distributed"
            + " prediction and training on this master (docs/benchmarks.md): images/s of the Spark jobs, and the"
            + " time per training round spent outside the workers' steps.")
    static final class Benchmark implements Callable<Integer> {
        @CommandLine.Mixin
        Common common = new Common();

        @Option(names = "--model", required = true, description = "Model file for prediction.")
        String model;
        @Option(names = "--images", required = true, description = "Folder of images (prediction and training).")
        String images;
        @Option(names = "--masks", required = true, description = "Folder of their index masks (training).")
        String masks;
        @Option(names = "--classes", required = true, description = "Number of classes (training).")
        int classes;
        @Option(names = "--architecture", defaultValue = "deeplabv3plus", description = "Model trained"
                + " (default ${DEFAULT-VALUE}: ResNet-50, 40.4M parameters).")
        String architecture;
        @Option(names = "--size", defaultValue = "256x256", description = "Training crop (default ${DEFAULT-VALUE}).")
        String size;
        @Option(names = "--batch-size", defaultValue = "4", description = "Images per worker step (default"
                + " ${DEFAULT-VALUE}).")
        int batchSize;
        @Option(names = "--workers", defaultValue = "1", description = "Training workers (default ${DEFAULT-VALUE}).")
        int workers;
        @Option(names = "--steps", defaultValue = "4", description = "Training rounds to time after a first one"
                + " (default ${DEFAULT-VALUE}).")
        int steps;
        @Option(names = "--runs", defaultValue = "3", description = "Prediction runs (default ${DEFAULT-VALUE}).")
        int runs;
        @Option(names = "--work", defaultValue = "target/spark-benchmark", description = "Scratch folder, emptied"
                + " of earlier benchmark output (default ${DEFAULT-VALUE}).")
        Path work;

        @Override
        public Integer call() throws IOException {
            if (java.nio.file.Files.exists(work) && !java.nio.file.Files.exists(work.resolve(".segnet-benchmark"))) {
                throw new IllegalArgumentException(work + " exists and is not a benchmark scratch folder; give --work"
                        + " a new folder");
            }
            deleteTree(work);
            java.nio.file.Files.createDirectories(work);
            java.nio.file.Files.writeString(work.resolve(".segnet-benchmark"), "scratch of segnet-spark benchmark\n");
            try (JavaSparkContext sc = common.context("benchmark")) {
                List<String> list = HadoopFiles.images(images, sc.hadoopConfiguration());
                double[] rates = new double[runs];
                for (int r = 0; r < runs; r++) {
                    SparkPrediction.Summary s = SparkPrediction.run(sc, model, sc.parallelize(list,
                            common.partitions(sc, list.size())), work.resolve("predict-" + r).toString(),
                            SparkPrediction.Options.defaults().withOutputs(Set.of(FolderPrediction.Output.INDEX)));
                    rates[r] = s.images() / s.jobSeconds();
                }
                java.util.Arrays.sort(rates);
                System.out.printf(Locale.ROOT, "predict  master %s: %d images, median %.2f images/s over %d runs"
                        + " (%s)%n", sc.master(), list.size(), rates[runs / 2], runs, java.util.Arrays.toString(rates));

                int[] hw = size(size, "--size");
                List<String> names = new java.util.ArrayList<>();
                for (int k = 0; k < classes; k++) {
                    names.add("class" + k);
                }
                DatasetConfig dataset = DatasetConfig.of(classes).withClassNames(names).withImageChannels(3);
                SparkTrainingData data = new SparkTrainingData(SparkEvaluation.pairs(images, masks, dataset,
                        sc.hadoopConfiguration()), null, dataset,
                        new Augmentation(List.of(hw[0], hw[1]), 1, 1, true, false, 0, 0),
                        new Preprocessing(List.of(0.485, 0.456, 0.406), List.of(0.229, 0.224, 0.225), null, null));
                int rounds = steps + 1;
                TrainerConfig config = TrainerConfig.defaults().withIterations(rounds * workers)
                        .withBatchSize(batchSize).withOptimizer(OptimizerType.ADAM, 1e-4).withReporting(false, 1);
                ModelConfig m = SegmentationModels.config(architecture, 3, classes, hw[0], hw[1]);
                SparkTraining.Result r = SparkTraining.on(sc, config, data,
                        new SparkTraining.Distribution(workers, 1)).train(m, RunDirectory.create(work.resolve("run"),
                        false));
                List<SparkStepExecutor.RoundTiming> timed = r.rounds().subList(1, r.rounds().size());
                double seconds = timed.stream().mapToDouble(SparkStepExecutor.RoundTiming::seconds).sum();
                double[] comm = timed.stream().mapToDouble(SparkStepExecutor.RoundTiming::communicationSeconds)
                        .sorted().toArray();
                double[] fit = timed.stream().mapToDouble(SparkStepExecutor.RoundTiming::workerSeconds).sorted()
                        .toArray();
                System.out.printf(Locale.ROOT, "train    master %s: %s %dx%d, %d worker(s) x batch %d, %d timed rounds:"
                        + " %.2f images/s; per round median %.2f s, of which the slowest worker's steps %.2f s and"
                        + " the rest (broadcast, scheduling, results, averaging) %.2f s for %.1f MB of parameters"
                        + " and optimiser state%n", sc.master(), architecture, hw[0], hw[1], workers, batchSize,
                        timed.size(), timed.size() * workers * batchSize / seconds, seconds / timed.size(),
                        fit[fit.length / 2], comm[comm.length / 2], timed.get(0).stateBytes() / 1e6);
                return 0;
            } finally {
                deleteTree(work);
            }
        }

        private static void deleteTree(Path dir) throws IOException {
            if (!java.nio.file.Files.exists(dir)) {
                return;
            }
            try (var s = java.nio.file.Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    java.nio.file.Files.delete(p);
                }
            }
        }
    }
}
