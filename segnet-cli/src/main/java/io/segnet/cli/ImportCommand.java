package io.segnet.cli;

import io.segnet.inference.Preprocessing;
import io.segnet.models.ModelConfig;
import io.segnet.models.SegmentationModel;
import io.segnet.models.SegmentationModels;
import io.segnet.models.Training;
import io.segnet.models.Upsampling;
import io.segnet.models.unet.UNetConfig;
import io.segnet.models.unetplusplus.UNetPlusPlusConfig;
import io.segnet.models.weights.EncoderWeights;
import io.segnet.models.weights.ImportReport;
import io.segnet.models.weights.SmpArchitecture;
import io.segnet.models.weights.SmpWeights;
import io.segnet.models.weights.StateDict;
import io.segnet.models.weights.TorchvisionSegmentationWeights;
import io.segnet.train.TrainerConfig;
import io.segnet.train.checkpoint.Checkpoint;
import io.segnet.train.checkpoint.TrainerState;
import io.segnet.train.checkpoint.TrainingMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code segnet import}: a whole segmentation_models_pytorch model ({@code torch.save(model.state_dict(), f)} of an
 * smp {@code Unet}, {@code UnetPlusPlus}, {@code PSPNet} or {@code DeepLabV3Plus} on a ResNet-18/34/50) converted
 * into a segnet model file ({@link SmpWeights}), or torchvision's {@code fcn_resnet50} / {@code deeplabv3_resnet50}
 * ({@link TorchvisionSegmentationWeights}), which {@code evaluate}, {@code predict} and
 * {@code train --init} take like any segnet model. The file carries the normalisation (ImageNet's unless
 * {@code --mean}/{@code --std}) and class names that prediction repeats.
 */
@Command(header = "Convert a whole segmentation_models_pytorch or torchvision model (.pth) into a segnet model"
        + " file.",
        name = "import", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Import the state_dict of an smp Unet, UnetPlusPlus, PSPNet or DeepLabV3Plus on a ResNet-18/34/50"
                + " encoder (torch.save zip or legacy format, or safetensors; also wrapped by Lightning or"
                + " DataParallel), or of torchvision's fcn_resnet50 or deeplabv3_resnet50 (their ResNet-18/34/50"
                + " variants too). The architecture, encoder, classes and decoder widths are read from the file;"
                + " the segnet model computes what the smp model computes in eval mode. The output is a segnet model"
                + " file for evaluate, predict and train --init."},
        footer = {"", "Examples:", "  segnet import unet_resnet34.pth --output unet.zip",
                "  segnet import deeplab.pth --output deeplab.zip --output-stride 8 --class-names bg,road,car",
                "  segnet evaluate --model unet.zip --config run.yaml",
                "  segnet train --init unet.zip --data folder --images img --masks mask --num-classes 2"
                        + " --image-channels 3 --epochs 10"})
public final class ImportCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "FILE", description = "The smp model's state_dict (.pth, .pt, .ckpt,"
            + " .safetensors), or the folder smp's save_pretrained writes (model.safetensors or pytorch_model.bin"
            + " with config.json).")
    Path file;

    @Option(names = {"-o", "--output"}, paramLabel = "MODEL", required = true, description = "The segnet model"
            + " file to write (.zip).")
    Path output;

    @Option(names = "--overwrite", description = "Replace an existing output file.")
    boolean overwrite;

    @Option(names = "--arch", paramLabel = "NAME", description = "Check that the file is this architecture: unet,"
            + " unetplusplus, pspnet or deeplabv3plus (smp's names work too); by default it is read from the keys.")
    String arch;

    @Option(names = "--output-stride", paramLabel = "S", description = "DeepLabV3Plus: smp's encoder_output_stride,"
            + " 16 (default) or 8; a state_dict does not show it (a config.json next to the file does).")
    Integer outputStride;

    @Option(names = "--atrous-rates", paramLabel = "R", split = ",", description = "DeepLabV3Plus: smp's"
            + " decoder_atrous_rates (default 12,24,36); a state_dict does not show them (a config.json next to the"
            + " file does).")
    List<Integer> atrousRates;

    @Option(names = "--input-size", paramLabel = "HxW", defaultValue = "512x512", description = "Size the model is"
            + " built for (default ${DEFAULT-VALUE}); it runs on any size its architecture accepts.")
    String inputSize;

    @Option(names = "--class-names", paramLabel = "NAME", split = ",", description = "Class names (default class0,"
            + " class1, ...); evaluate checks them against the data's.")
    List<String> classNames;

    @Option(names = "--mean", paramLabel = "M", split = ",", description = "Normalisation the model was trained"
            + " with: per-channel means of images in [0, 1] (default ImageNet's, smp's and torchvision's"
            + " convention).")
    List<Double> mean;

    @Option(names = "--std", paramLabel = "S", split = ",", description = "Per-channel standard deviations, as many"
            + " as --mean.")
    List<Double> std;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        long start = System.nanoTime();
        int[] size = PredictorOptions.size(inputSize, "--input-size");
        Preprocessing preprocessing = preprocessing();
        if (Files.exists(output) && !overwrite) {
            throw new UsageException(output + " exists; give --overwrite to replace it, or another --output");
        }
        Path weightsFile = weightsFile(file);
        ModelConfig config;
        StateDict weights;
        boolean torchvision;
        try {
            SmpArchitecture expected = arch == null ? null : SmpArchitecture.named(arch);
            weights = StateDict.read(weightsFile);
            torchvision = TorchvisionSegmentationWeights.recognises(weights.tensors().keySet());
            if (torchvision) {
                if (arch != null || outputStride != null || atrousRates != null) {
                    throw new UsageException(weightsFile + " is a torchvision segmentation model, whose structure"
                            + " the file gives; --arch, --output-stride and --atrous-rates are for smp models");
                }
                config = TorchvisionSegmentationWeights.config(weights, size[0], size[1]);
            } else {
                config = null;
            }
            if (!torchvision && SmpArchitecture.detect(weights.tensors().keySet()) == SmpArchitecture.DEEPLABV3PLUS) {
                deepLabSettings(weightsFile.resolveSibling("config.json"), out);
            }
            if (!torchvision) {
                config = SmpWeights.config(weights, expected, size[0], size[1], outputStride == null ? 0
                        : outputStride, atrousRates == null ? List.of() : atrousRates);
                config = interpolation(config, weightsFile.resolveSibling("config.json"), out);
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException(weightsFile + ": " + e.getMessage(), e);
        }
        List<String> names = classNames(config.numClasses());
        if (preprocessing.mean().size() != config.inChannels() && !preprocessing.isNone()) {
            throw new UsageException("--mean/--std give " + preprocessing.mean().size() + " channel(s), the model"
                    + " takes " + config.inChannels() + "; give one value per channel");
        }
        SegmentationModel model = SegmentationModels.create(config, Training.defaults());
        ImportReport report;
        try {
            report = torchvision ? TorchvisionSegmentationWeights.load(model, weights)
                    : SmpWeights.load(model, weights);
        } catch (IllegalArgumentException e) {
            throw new UsageException(weightsFile + ": " + e.getMessage(), e);
        }
        String source;
        String preset;
        if (torchvision) {
            TorchvisionSegmentationWeights.Kind kind = TorchvisionSegmentationWeights.detect(weights);
            source = "torchvision's " + kind.builder();
            preset = kind.preset();
        } else {
            SmpArchitecture a = SmpArchitecture.of(config);
            source = "smp's " + a.smpClass();
            preset = a.preset();
        }
        out.printf(Locale.ROOT, "%s (%s): %s on %s, %d input channel(s), %d class(es) -> segnet %s (%s)%n",
                weightsFile, weights.format(), source, describe(config), config.inChannels(), config.numClasses(),
                config.typeName(), preset);
        out.println(report.summary());
        out.println(normalisationLine(preprocessing));
        Checkpoint.save(output, model, new TrainingMetadata(TrainerState.start(), TrainerConfig.defaults(), names,
                preprocessing));
        out.printf(Locale.ROOT, "wrote %s: %,d parameters (%.1f s)%n", output, model.parameterCount(),
                (System.nanoTime() - start) / 1e9);
        out.println("next: segnet evaluate --model " + output + " --config RUN.yaml, segnet predict --model " + output
                + " --input IMAGES, or segnet train --init " + output + " ...");
        out.flush();
        return 0;
    }

    /** The weights file: FILE itself, or in a save_pretrained folder its model.safetensors or pytorch_model.bin. */
    private static Path weightsFile(Path file) {
        if (!Files.isDirectory(file)) {
            return file;
        }
        for (String name : List.of("model.safetensors", "pytorch_model.bin")) {
            if (Files.isRegularFile(file.resolve(name))) {
                return file.resolve(name);
            }
        }
        throw new UsageException(file + " is a folder without model.safetensors or pytorch_model.bin (what smp's"
                + " save_pretrained writes); give the weights file itself");
    }

    /**
     * DeepLabV3Plus's output stride and atrous rates from the {@code config.json} smp's {@code save_pretrained} writes
     * next to the weights ({@code encoder_output_stride}, {@code decoder_atrous_rates}), where the flags do not give
     * them.
     */
    private void deepLabSettings(Path json, PrintWriter out) {
        if (!Files.isRegularFile(json)) {
            return;
        }
        com.fasterxml.jackson.databind.JsonNode c = io.segnet.train.ConfigFiles.readTree(json);
        List<String> taken = new ArrayList<>();
        if (outputStride == null && c.path("encoder_output_stride").isInt()) {
            outputStride = c.get("encoder_output_stride").asInt();
            taken.add("encoder_output_stride " + outputStride);
        }
        if (atrousRates == null && c.path("decoder_atrous_rates").isArray()) {
            atrousRates = new ArrayList<>();
            c.get("decoder_atrous_rates").forEach(r -> atrousRates.add(r.asInt()));
            taken.add("decoder_atrous_rates " + atrousRates);
        }
        if (!taken.isEmpty()) {
            out.println("from " + json + ": " + String.join(", ", taken));
        }
    }

    /**
     * A U-Net or UNet++ with bilinear upsampling where the {@code config.json} next to the weights says smp 0.5's
     * {@code decoder_interpolation} is {@code "bilinear"} (the default, {@code "nearest"}, is the preset's).
     */
    private static ModelConfig interpolation(ModelConfig config, Path json, PrintWriter out) {
        if (!Files.isRegularFile(json) || !(config instanceof UNetConfig || config instanceof UNetPlusPlusConfig)) {
            return config;
        }
        String mode = io.segnet.train.ConfigFiles.readTree(json).path("decoder_interpolation").asText("nearest");
        if (mode.equals("nearest")) {
            return config;
        }
        if (!mode.equals("bilinear")) {
            throw new IllegalArgumentException(json + " gives decoder_interpolation '" + mode + "'; segnet's U-Net"
                    + " and UNet++ upsample with nearest or bilinear");
        }
        out.println("from " + json + ": decoder_interpolation bilinear");
        return config instanceof UNetConfig u ? u.withUpsampling(Upsampling.BILINEAR)
                : ((UNetPlusPlusConfig) config).withUpsampling(Upsampling.BILINEAR);
    }

    private Preprocessing preprocessing() {
        if (mean == null && std == null) {
            return EncoderWeightsImport.IMAGENET;
        }
        try {
            return new Preprocessing(mean, std);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--mean/--std: " + e.getMessage(), e);
        }
    }

    private List<String> classNames(int numClasses) {
        int k = numClasses == 1 ? 2 : numClasses;
        if (classNames == null) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                names.add("class" + i);
            }
            return names;
        }
        if (classNames.size() != k) {
            throw new UsageException("--class-names gives " + classNames.size() + " names, the model has " + k
                    + " classes" + (numClasses == 1 ? " (one logit: background and foreground)" : ""));
        }
        return classNames;
    }

    private static String describe(ModelConfig config) {
        return EncoderWeights.encoderOf(config) instanceof io.segnet.models.encoder.ResNetConfig r
                ? "ResNet-" + r.depth() + (r.outputStride() == 32 ? "" : " (output stride " + r.outputStride() + ")")
                : EncoderWeights.encoderOf(config).typeName();
    }

    private static String normalisationLine(Preprocessing used) {
        if (used.equals(EncoderWeightsImport.IMAGENET)) {
            return "normalisation: ImageNet's mean " + used.mean() + ", std " + used.std() + " (smp's convention;"
                    + " --mean/--std give the one the model was trained with if it was another)";
        }
        return "normalisation: " + (used.isNone() ? "none" : "mean " + used.mean() + ", std " + used.std())
                + " as given";
    }
}
