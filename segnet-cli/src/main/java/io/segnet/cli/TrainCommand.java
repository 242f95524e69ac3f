package io.segnet.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segnet.models.ModelConfig;
import io.segnet.models.SegmentationModel;
import io.segnet.train.ConfigFiles;
import io.segnet.train.StopReason;
import io.segnet.train.Trainer;
import io.segnet.train.TrainingData;
import io.segnet.train.TrainingResult;
import io.segnet.train.checkpoint.RunDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code segnet train}: trains a model on a data set, from a settings file and/or flags, into a run folder; or
 * continues a run ({@code --resume}).
 */
@Command(header = "Train a model on a data set (or --resume a run).",
        name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a segmentation model. Settings come from --config (YAML or JSON with data, model and"
                + " trainer sections) and the flags below, which override the file. Writes last.zip, best.zip,"
                + " metrics.jsonl, curve.png and config.yaml to the run folder; Ctrl-C saves last.zip and"
                + " --resume continues from it."},
        footer = {"", "Examples:", "  segnet train --epochs 5 --output runs/m2nist",
                "  segnet train --data folder --images data/x/image --masks data/x/label --num-classes 2"
                        + " --mask-format binary255 --val-fraction 0.1 --crop 256x256 --flip --model unet",
                "  segnet train --config run.yaml --lr 3e-4", "  segnet train --resume --output runs/m2nist"})
public final class TrainCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Settings file (.yaml, .yml or .json).")
    Path config;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = "runs/train",
            description = "Run folder (default ${DEFAULT-VALUE}); must be new or empty unless --overwrite/--resume.")
    Path output;

    @Option(names = "--overwrite", description = "Replace a previous run in the run folder.")
    boolean overwrite;

    @Option(names = "--resume", description = "Continue the run in the run folder from its last.zip, with its"
            + " config.yaml.")
    boolean resume;

    @Option(names = "--init", paramLabel = "MODEL", description = "Start from the weights of a saved model"
            + " (fine-tuning) instead of a fresh initialisation.")
    Path init;

    // ---- data ----
    @Option(names = "--data", paramLabel = "TYPE", description = "m2nist (default), membrane or folder.")
    String dataType;

    @Option(names = "--images", paramLabel = "DIR", description = "Folder data: training images.")
    String images;

    @Option(names = "--masks", paramLabel = "DIR", description = "Folder data: training masks (same file stems).")
    String masks;

    @Option(names = "--val-images", paramLabel = "DIR", description = "Folder data: validation images.")
    String valImages;

    @Option(names = "--val-masks", paramLabel = "DIR", description = "Folder data: validation masks.")
    String valMasks;

    @Option(names = "--val-fraction", paramLabel = "F", description = "Folder data: hold out this share of the"
            + " images for validation when there are no validation folders.")
    Double valFraction;

    @Option(names = "--num-classes", paramLabel = "K", description = "Folder data: number of classes.")
    Integer numClasses;

    @Option(names = "--class-names", paramLabel = "NAME", split = ",", description = "Folder data: class names.")
    List<String> classNames;

    @Option(names = "--mask-format", paramLabel = "F", description = "Folder data: index (default), binary255,"
            + " reduceZeroLabel or rgb.")
    String maskFormat;

    @Option(names = "--color-table", paramLabel = "FILE", description = "Folder data with rgb masks: colour table.")
    String colorTable;

    @Option(names = "--crop", paramLabel = "HxW", description = "Random training crop, e.g. 256x256.")
    String crop;

    @Option(names = "--flip", negatable = true, description = "Random left-right flips.")
    Boolean flip;

    @Option(names = "--m2nist-train", paramLabel = "N", description = "M2NIST: training images (default 4000).")
    Integer m2nistTrain;

    @Option(names = "--m2nist-validation", paramLabel = "N", description = "M2NIST: validation images (1000).")
    Integer m2nistValidation;

    // ---- model ----
    @Option(names = {"-m", "--model"}, paramLabel = "NAME", description = "Architecture: quickstart (default), unet,"
            + " unetplusplus, fcn8s, fcn16s, fcn32s, segnet, pspnet, deeplabv3plus.")
    String model;

    @Option(names = "--model-config", paramLabel = "FILE", description = "A complete model config (JSON or YAML,"
            + " with a type tag), instead of --model.")
    Path modelConfig;

    // ---- trainer ----
    @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training set (default 10).")
    Integer epochs;

    @Option(names = "--iterations", paramLabel = "N", description = "Optimiser steps, instead of --epochs.")
    Integer iterations;

    @Option(names = {"-b", "--batch-size"}, paramLabel = "N", description = "Images per step (default 8).")
    Integer batchSize;

    @Option(names = "--lr", paramLabel = "RATE", description = "Learning rate (default 1e-3).")
    Double lr;

    @Option(names = "--optimizer", paramLabel = "NAME", description = "adam (default) or sgd (Nesterov momentum).")
    String optimizer;

    @Option(names = "--momentum", paramLabel = "M", description = "SGD momentum (default 0.9).")
    Double momentum;

    @Option(names = "--weight-decay", paramLabel = "W", description = "Decoupled weight decay (default 0).")
    Double weightDecay;

    @Option(names = "--schedule", paramLabel = "NAME", description = "Learning-rate schedule: poly (default),"
            + " cosine, step or constant.")
    String schedule;

    @Option(names = "--warmup", paramLabel = "N", description = "Linear warm-up iterations (default 0).")
    Integer warmup;

    @Option(names = "--best-metric", paramLabel = "NAME", description = "Metric that picks best.zip: meanIoU"
            + " (default), pixelAccuracy, meanDice, ...")
    String bestMetric;

    @Option(names = "--patience", paramLabel = "N", description = "Stop after N epochs without improvement"
            + " (default 0: never).")
    Integer patience;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of initialisation, data order and"
            + " augmentation (default 42).")
    Long seed;

    @Option(names = "--workers", paramLabel = "N", description = "Data-loading threads (default 2).")
    Integer workers;

    @Option(names = "--progress", negatable = true, description = "Progress bar on a terminal (default on).")
    Boolean progress;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        long start = System.nanoTime();
        RunSpec run;
        RunDirectory dir;
        if (resume) {
            requireNoSettingFlags();
            dir = openForResume();
            run = RunSpec.load(dir.config(), ConfigFiles.JSON.createObjectNode());
        } else {
            run = RunSpec.load(config, overrides());
            dir = prepare(output, overwrite);
        }
        DataSpec.Sources sources = run.data().open(2);
        ModelConfig modelConfig = run.modelConfig(sources.channels(), sources.classNames().size(), sources.height(),
                sources.width());
        TrainingData data = run.data().trainingData(sources, modelConfig.inputSizeRule().multiple());
        Trainer trainer = new Trainer(run.trainer());
        out.printf(Locale.ROOT, "%s %s on %s: %d training, %s validation images -> %s%n",
                resume ? "resuming" : "training", modelConfig.typeName(), run.data().fingerprint(),
                sources.train().size(), sources.validation() == null ? "no" : sources.validation().size(),
                dir.path());
        out.flush();
        TrainingResult result;
        if (resume) {
            result = trainer.resume(data, dir);
        } else if (init != null) {
            SegmentationModel start0 = SegmentationModel.load(init);
            result = trainer.train(start0, data, dir);
        } else {
            result = trainer.train(modelConfig, data, dir);
        }
        report(out, result, (System.nanoTime() - start) / 1e9);
        return 0;
    }

    static void report(PrintWriter out, TrainingResult r, double seconds) {
        String best = Double.isNaN(r.bestValue()) ? "no validation score yet" : String.format(Locale.ROOT,
                "best %s %.4f at epoch %d", r.bestMetric(), r.bestValue(), r.bestEpoch());
        out.printf(Locale.ROOT, "%s after %d epochs (%d iterations): %s%n", switch (r.reason()) {
            case COMPLETED -> "finished";
            case EARLY_STOPPED -> "stopped early";
            case INTERRUPTED -> "interrupted";
        }, r.epochsCompleted(), r.iterations(), best);
        if (r.lastValidation() != null) {
            out.println(r.lastValidation().toConsoleTable());
        }
        List<String> files = RunDirectory.ENTRIES.stream().sorted()
                .filter(f -> java.nio.file.Files.exists(r.run().resolve(f))).toList();
        out.printf(Locale.ROOT, "run folder %s: %s (wall time %.1f s)%n", r.run().path(), String.join(", ", files),
                seconds);
        if (r.reason() == StopReason.INTERRUPTED) {
            out.println("continue with: segnet train --resume --output " + r.run().path());
        }
        out.flush();
    }

    private static RunDirectory prepare(Path dir, boolean overwrite) throws IOException {
        try {
            return RunDirectory.create(dir, overwrite);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }

    private RunDirectory openForResume() throws IOException {
        try {
            return RunDirectory.resume(output);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }

    private void requireNoSettingFlags() {
        var pr = spec.commandLine().getParseResult();
        for (var o : pr.matchedOptions()) {
            String name = o.longestName();
            if (!List.of("--resume", "--output", "--progress", "--no-progress", "--verbose").contains(name)) {
                throw new UsageException("--resume continues with the settings in the run folder's config.yaml;"
                        + " drop " + name + " (or start a new run)");
            }
        }
    }

    /** The settings given as flags, as a tree to lay over the file. */
    ObjectNode overrides() {
        ObjectNode root = ConfigFiles.JSON.createObjectNode();
        ObjectNode d = root.putObject("data");
        if (dataType != null) {
            d.put("type", dataType);
        }
        putIf(d, "images", images);
        putIf(d, "masks", masks);
        putIf(d, "validationImages", valImages);
        putIf(d, "validationMasks", valMasks);
        if (valFraction != null) {
            d.put("validationFraction", valFraction);
        }
        if (numClasses != null) {
            d.put("numClasses", numClasses);
        }
        if (classNames != null) {
            ArrayNode a = d.putArray("classNames");
            classNames.forEach(a::add);
        }
        putIf(d, "maskFormat", maskFormat);
        putIf(d, "colorTable", colorTable);
        if (crop != null) {
            int[] hw = PredictorOptions.size(crop, "--crop");
            d.putArray("crop").add(hw[0]).add(hw[1]);
        }
        if (flip != null) {
            d.put("flip", flip);
        }
        if (m2nistTrain != null) {
            d.put("train", m2nistTrain);
        }
        if (m2nistValidation != null) {
            d.put("validation", m2nistValidation);
        }
        if (dataType != null && !dataType.equalsIgnoreCase("m2nist")) {
            d.putArray("mean");
            d.putArray("std");
        }
        if (model != null && modelConfig != null) {
            throw new UsageException("give either --model or --model-config, not both");
        }
        if (model != null) {
            root.set("model", RunSpec.modelNamed(model));
        }
        if (modelConfig != null) {
            try {
                root.set("model", ConfigFiles.readTree(modelConfig));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage(), e);
            }
        }
        ObjectNode t = root.putObject("trainer");
        if (epochs != null && iterations != null) {
            throw new UsageException("give either --epochs or --iterations, not both");
        }
        if (epochs != null) {
            t.put("epochs", epochs).put("iterations", 0);
        }
        if (iterations != null) {
            t.put("iterations", iterations).put("epochs", 0);
        }
        if (batchSize != null) {
            t.put("batchSize", batchSize);
        }
        if (lr != null) {
            t.put("learningRate", lr);
        }
        putIf(t, "optimizer", optimizer);
        if (momentum != null) {
            t.put("momentum", momentum);
        }
        if (weightDecay != null) {
            t.put("weightDecay", weightDecay);
        }
        if (schedule != null || warmup != null) {
            ObjectNode s = t.putObject("schedule");
            putIf(s, "type", schedule);
            if (warmup != null) {
                s.put("warmupIterations", warmup);
            }
        }
        putIf(t, "bestMetric", bestMetric);
        if (patience != null) {
            t.put("patience", patience);
        }
        if (seed != null) {
            t.put("seed", seed);
            d.put("seed", seed);
        }
        if (workers != null) {
            t.put("workers", workers);
        }
        if (progress != null) {
            t.put("progressBar", progress);
        }
        return root;
    }

    private static void putIf(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }
}
