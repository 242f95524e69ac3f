package io.segnet.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segnet.data.dataset.ClassFrequencies;
import io.segnet.inference.Preprocessing;
import io.segnet.models.ModelConfig;
import io.segnet.models.SegmentationModel;
import io.segnet.models.io.CorruptModelFileException;
import io.segnet.train.ConfigFiles;
import io.segnet.train.StopReason;
import io.segnet.train.Trainer;
import io.segnet.train.TrainingData;
import io.segnet.train.TrainingResult;
import io.segnet.train.checkpoint.Checkpoint;
import io.segnet.train.checkpoint.RunDirectory;
import io.segnet.train.checkpoint.TrainingMetadata;
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
                "  segnet train --config run.yaml --lr 3e-4",
                "  segnet train --data folder --images img --masks mask --num-classes 5 --model unet"
                        + " --loss ce+dice:0.5 --class-weights auto", "  segnet train --resume --output runs/m2nist",
                "  segnet train --data folder --images img --masks mask --num-classes 2 --model unet --encoder resnet34"
                        + " --encoder-weights resnet34-b627a593.pth --freeze-encoder-epochs 2 --encoder-lr-scale 0.1"})
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
            + " (fine-tuning) instead of a fresh initialisation, with its normalisation unless --mean/--std are"
            + " given; a PyTorch smp model is converted first with segnet import.")
    Path init;

    @Mixin
    DataFlags dataFlags;

    // ---- model ----
    @Option(names = {"-m", "--model"}, paramLabel = "NAME", description = "Architecture: quickstart (default), unet,"
            + " unetplusplus, fcn8s, fcn16s, fcn32s, segnet, pspnet, deeplabv3plus.")
    String model;

    @Option(names = "--model-config", paramLabel = "FILE", description = "A complete model config (JSON or YAML,"
            + " with a type tag), instead of --model.")
    Path modelConfig;

    @Option(names = "--encoder", paramLabel = "NAME", description = "Encoder of the --model architecture: small,"
            + " vgg16, vgg16bn, resnet18, resnet34 or resnet50 (torchvision's layout, width 64).")
    String encoder;

    @Option(names = "--encoder-weights", paramLabel = "FILE", description = "Start the encoder from a PyTorch"
            + " checkpoint (torchvision, smp, timm, Lightning; .pth or .safetensors); the data are then normalised"
            + " with ImageNet's mean and std unless --mean/--std are given.")
    Path encoderWeights;

    @Mixin
    LossFlags lossFlags;

    @Mixin
    TrainerFlags trainerFlags;

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
            run = RunSpec.load(config, overrides(), init == null ? null : initPreprocessing(init));
            DataCheck.require(run.data(), spec.commandLine().getErr(), true); // before the run folder exists
            dir = prepare(output, overwrite);
        }
        DataSpec.Sources sources = run.data().open(2);
        if (LossFlags.wantsAutoWeights(run.model())) {
            ClassFrequencies counts = ClassFrequencies.count(sources.train());
            double[] weights = counts.medianFrequencyWeights();
            LossFlags.printWeights(out, sources.classNames(), weights, counts);
            run = new RunSpec(run.data(), LossFlags.withClassWeights(run.model(), weights), run.trainer());
        } else if (run.model().path("loss").path("classWeights").size() > 0) {
            LossFlags.printWeights(out, sources.classNames(), ConfigFiles.JSON.convertValue(
                    run.model().path("loss").path("classWeights"), double[].class), null);
        }
        ModelConfig modelConfig = run.modelConfig(sources.channels(), sources.classNames().size(), sources.height(),
                sources.width());
        SegmentationModel initial = init != null && !resume ? loadInit(init) : null;
        if (initial != null) {
            modelConfig = initial.config(); // the data are padded for the model that trains
        }
        TrainingData data = run.data().trainingData(sources, modelConfig.inputSizeRule().multiple());
        Trainer trainer = new Trainer(run.trainer()).resumeCommand(resumeCommand(dir));
        out.printf(Locale.ROOT, "%s %s on %s: %d training, %s validation images -> %s%n",
                resume ? "resuming" : "training", modelConfig.typeName(), run.data().source().fingerprint(),
                sources.train().size(), sources.validation() == null ? "no" : sources.validation().size(),
                dir.path());
        out.flush();
        TrainingResult result;
        Path weights = resume ? null : run.encoderWeights();
        if (weights != null && initial != null) {
            throw new UsageException("--init starts from a segnet model, model.encoderWeights from a PyTorch"
                    + " checkpoint; give one of them");
        }
        if (initial != null) {
            Preprocessing own = initPreprocessing(init);
            Preprocessing used = run.data().preprocessing();
            out.println(own.equals(used) ? "normalisation: " + describe(used) + " (the --init model's; --mean/--std"
                    + " or data.mean/std set another)" : "normalisation: " + describe(used) + " as given; note that"
                    + " the --init model was trained with " + describe(own));
        }
        try {
            if (weights != null) {
                out.println(EncoderWeightsImport.normalisationLine(run.data().preprocessing()));
                result = trainer.train(EncoderWeightsImport.create(modelConfig, run.trainer(), weights, dir, out),
                        data, dir);
            } else if (resume) {
                result = trainer.resume(data, dir);
            } else if (initial != null) {
                result = trainer.train(initial, data, dir);
            } else {
                result = trainer.train(modelConfig, data, dir);
            }
        } catch (CorruptModelFileException e) {
            throw resume ? corruptLast(e, dir) : e;
        } catch (IOException | RuntimeException e) {
            if (trainer.stopRequested() && java.nio.file.Files.isRegularFile(dir.last())) {
                // An interrupted run always says how to continue, even when stopping went wrong.
                throw new IllegalStateException(SegnetCli.oneLine(e) + ". The run was interrupted; " + dir.last()
                        + " holds its latest save. continue with: " + resumeCommand(dir), e);
            }
            throw e;
        }
        report(out, result, (System.nanoTime() - start) / 1e9);
        return 0;
    }

    private static SegmentationModel loadInit(Path file) throws IOException {
        try {
            return SegmentationModel.load(file);
        } catch (CorruptModelFileException e) {
            throw LoadedModel.withAlternative(e, "--init");
        }
    }

    /**
     * A corrupt {@code last.zip} on {@code --resume}: the fix is a new run from the weights of the run's {@code best.zip}
     * if that one is intact.
     */
    private static CorruptModelFileException corruptLast(CorruptModelFileException e, RunDirectory dir) {
        Path best = LoadedModel.otherCheckpoint(dir.last());
        String fix = best != null ? "; it cannot be resumed. Its best.zip is intact: start a new run from its weights"
                + " with --init, e.g. segnet train --config " + dir.config() + " --init " + best + " --output "
                + dir.path() + "-from-best"
                : "; it cannot be resumed and the run has no intact best.zip: start the run again with --overwrite";
        return new CorruptModelFileException(e.file(), e.getMessage() + fix, e);
    }

    /** The command that continues the run in {@code dir}. */
    static String resumeCommand(RunDirectory dir) {
        return "segnet train --resume --output " + dir.path();
    }

    /** The normalisation a model file was trained with ({@code none} for a model saved without metadata). */
    private static Preprocessing initPreprocessing(Path model) throws IOException {
        try {
            return Checkpoint.readMetadata(model).map(TrainingMetadata::preprocessing).orElse(Preprocessing.none());
        } catch (CorruptModelFileException e) {
            throw LoadedModel.withAlternative(e, "--init");
        }
    }

    private static String describe(Preprocessing p) {
        return p.isNone() ? "none" : "mean " + p.mean() + ", std " + p.std();
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
        List<String> files = java.util.stream.Stream.concat(RunDirectory.ENTRIES.stream(),
                        java.util.stream.Stream.of(EncoderWeightsImport.REPORT)).sorted()
                .filter(f -> java.nio.file.Files.exists(r.run().resolve(f))).toList();
        out.printf(Locale.ROOT, "run folder %s: %s (wall time %.1f s)%n", r.run().path(), String.join(", ", files),
                seconds);
        if (r.reason() == StopReason.INTERRUPTED) {
            out.println("continue with: " + resumeCommand(r.run()));
        }
        out.flush();
    }

    private static RunDirectory prepare(Path dir, boolean overwrite) throws IOException {
        try {
            return RunDirectory.create(dir, overwrite, java.util.Set.of(EncoderWeightsImport.REPORT));
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
        if (model != null && modelConfig != null) {
            throw new UsageException("give either --model or --model-config, not both");
        }
        if (trainerFlags.epochs != null && trainerFlags.iterations != null) {
            throw new UsageException("give either --epochs or --iterations, not both");
        }
        dataFlags.cropSize(); // a malformed --crop is a usage error, not one Jackson wraps
        dataFlags.resizeSize();
        dataFlags.minScale();
        dataFlags.elasticPixels();
        ObjectNode root = ConfigFiles.JSON.createObjectNode();
        ObjectNode d = root.putObject("data").setAll((ObjectNode) ConfigFiles.JSON.valueToTree(dataFlags));
        if (trainerFlags.seed != null) {
            d.put("seed", trainerFlags.seed);
        }
        if (init != null && encoderWeights != null) {
            throw new UsageException("give either --init (a segnet model) or --encoder-weights (a PyTorch"
                    + " checkpoint for the encoder), not both");
        }
        if (encoder != null && modelConfig != null) {
            throw new UsageException("--encoder chooses the encoder of a --model architecture; a --model-config"
                    + " names its own (its encoder section)");
        }
        ObjectNode m = ConfigFiles.JSON.createObjectNode();
        if (model != null) {
            m = (ObjectNode) RunSpec.modelNamed(model);
        }
        if (modelConfig != null) {
            try {
                m = (ObjectNode) ConfigFiles.readTree(modelConfig);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage(), e);
            }
        }
        if (encoder != null) {
            m.put("encoder", encoder);
        }
        if (encoderWeights != null) {
            m.put(RunSpec.ENCODER_WEIGHTS, encoderWeights.toString());
        }
        ObjectNode loss = lossFlags.section();
        if (loss != null) {
            m.set("loss", ConfigFiles.merge(m.get("loss"), loss));
        }
        if (!m.isEmpty()) {
            root.set("model", m);
        }
        root.set("trainer", ConfigFiles.JSON.valueToTree(trainerFlags));
        return root;
    }
}
