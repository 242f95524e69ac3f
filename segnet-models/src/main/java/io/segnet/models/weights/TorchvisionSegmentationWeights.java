package io.segnet.models.weights;

import io.segnet.models.ModelConfig;
import io.segnet.models.SegmentationModel;
import io.segnet.models.deeplab.DeepLabV3PlusConfig;
import io.segnet.models.encoder.ResNetConfig;
import io.segnet.models.pspnet.PSPNetConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Imports torchvision's segmentation models on ResNet backbones: {@code fcn_resnet50} (torchvision's {@code FCN}: a
 * ResNet dilated to output stride 8, {@code FCNHead} on layer4 and on layer3 as auxiliary head) into segnet's PSPNet
 * without the pyramid ({@link PSPNetConfig#torchvisionFcn}), and {@code deeplabv3_resnet50} ({@code DeepLabV3}: the
 * same backbone, {@code DeepLabHead} = ASPP, 3x3 conv-BN-ReLU, 1x1 classifier) into segnet's DeepLabv3+ without the
 * decoder ({@link DeepLabV3PlusConfig#torchvisionDeepLabV3}). The segnet model computes torchvision's {@code "out"} in
 * eval mode. torchvision's pretrained files are {@code fcn_resnet50_coco-1167a1af.pth} and
 * {@code deeplabv3_resnet50_coco-cd0a2569.pth} (21 Pascal VOC classes); the ResNet-101 variants have no segnet
 * encoder.
 *
 * <p>Keys: {@code backbone.*} are torchvision's ResNet keys ({@link TorchvisionKeys}); FCN: {@code classifier.0/1/4}
 * are {@code head.bottleneck.conv/bn} and {@code head.classifier}, {@code aux_classifier.0/1/4} are
 * {@code aux.conv.conv/bn} and {@code aux.classifier}; DeepLabV3: {@code classifier.0.convs.<k>.0/1} are
 * {@code aspp.branch<k>.conv/bn} (k = 0..3), {@code classifier.0.convs.4.1/2} {@code aspp.pooling.conv/bn},
 * {@code classifier.0.project.0/1} {@code aspp.project.conv/bn}, {@code classifier.1/2} {@code aspp.output.conv/bn},
 * {@code classifier.4} {@code head.classifier}. Dropped: {@code num_batches_tracked}, and DeepLabV3's (and an FCN
 * built without auxiliary head's) {@code aux_classifier.*}, a training-only head. Everything else is as for
 * {@link SmpWeights}: all or nothing, shape mismatches named, the same {@link ImportReport}.
 */
public final class TorchvisionSegmentationWeights {
    /** The prefix of the backbone's keys. */
    static final String BACKBONE = "backbone.";

    private static final Pattern ASPP = Pattern.compile("aspp\\.(branch(\\d+)|pooling|project|output)\\.(conv|bn)");

    /** The two torchvision segmentation models that import. */
    public enum Kind {
        /** {@code torchvision.models.segmentation.fcn_resnet50}: segnet's PSPNet without pyramid. */
        FCN("fcn_resnet50", "PSPNetConfig.torchvisionFcn"),
        /** {@code torchvision.models.segmentation.deeplabv3_resnet50}: segnet's DeepLabv3+ without decoder. */
        DEEPLABV3("deeplabv3_resnet50", "DeepLabV3PlusConfig.torchvisionDeepLabV3");

        private final String builder;
        private final String preset;

        Kind(String builder, String preset) {
            this.builder = builder;
            this.preset = preset;
        }

        /** torchvision's builder function, e.g. {@code fcn_resnet50}. */
        public String builder() {
            return builder;
        }

        /** The segnet preset that builds the matching config. */
        public String preset() {
            return preset;
        }
    }

    private TorchvisionSegmentationWeights() {
    }

    /**
     * Whether {@code keys} are those of a torchvision segmentation model ({@code backbone.*} with a
     * {@code classifier.*} head), under any wrapper prefix.
     */
    public static boolean recognises(Set<String> keys) {
        boolean backbone = false, classifier = false;
        for (String k : keys) {
            backbone |= k.startsWith(BACKBONE) || k.contains("." + BACKBONE);
            classifier |= k.startsWith("classifier.") || k.contains(".classifier.");
        }
        return backbone && classifier;
    }

    /**
     * Which of the two models {@code weights} is.
     *
     * @throws IllegalArgumentException for another torchvision model (LR-ASPP, a MobileNet backbone) or none
     */
    public static Kind detect(StateDict weights) {
        LocalKeys k = keys(weights);
        if (k.has("classifier.0.convs.0.0.weight")) {
            return Kind.DEEPLABV3;
        }
        if (k.has("classifier.0.weight") && k.has("classifier.4.weight") && k.shape("classifier.0.weight").length == 4) {
            return Kind.FCN;
        }
        throw new IllegalArgumentException("the checkpoint's head (" + firstHeadKey(k) + ") is neither torchvision's"
                + " FCNHead nor its DeepLabHead; fcn_resnet50 and deeplabv3_resnet50 import");
    }

    /**
     * The segnet config that {@code weights} import into: the kind's preset with the backbone (ResNet-18/34/50 and
     * width from {@code backbone.*}), input channels, classes, head widths and, for FCN, the auxiliary head (when the
     * file has {@code aux_classifier.*}) read from the file.
     *
     * @param inputHeight the build height (the model runs on any size of at least 8)
     * @param inputWidth  the build width
     * @throws IllegalArgumentException if the file is not one of the two on a ResNet-18/34/50 (ResNet-101 included)
     */
    public static ModelConfig config(StateDict weights, int inputHeight, int inputWidth) {
        Kind kind = detect(weights);
        LocalKeys k = keys(weights);
        long[] conv1 = k.shape(BACKBONE + "conv1.weight");
        int in = (int) conv1[1];
        ResNetConfig encoder = new ResNetConfig(k.resnetDepth(BACKBONE), 8, (int) conv1[0],
                ResNetConfig.Dilation.TORCHVISION);
        int classes = (int) k.shape("classifier.4.weight")[0];
        if (kind == Kind.DEEPLABV3) {
            int convs = 0;
            while (k.has("classifier.0.convs." + convs + ".1.weight") || k.has("classifier.0.convs." + convs
                    + ".0.weight")) {
                convs++;
            }
            if (convs != 5) {
                throw new IllegalArgumentException("the checkpoint's ASPP has " + (convs - 2) + " atrous branches;"
                        + " torchvision's DeepLabHead has 3 (rates 12, 24, 36)");
            }
            return DeepLabV3PlusConfig.torchvisionDeepLabV3(in, classes, inputHeight, inputWidth, encoder,
                    (int) k.shape("classifier.0.convs.0.0.weight")[0]);
        }
        PSPNetConfig c = PSPNetConfig.torchvisionFcn(in, classes, inputHeight, inputWidth, encoder);
        boolean aux = k.has("aux_classifier.0.weight");
        return new PSPNetConfig(in, classes, inputHeight, inputWidth, encoder, 0, false, c.bins(), 0, true,
                (int) k.shape("classifier.0.weight")[0], 3, aux, aux ? (int) k.shape("aux_classifier.0.weight")[0] : 0,
                aux ? c.auxiliaryWeight() : 0, 1, false, c.loss());
    }

    /** Loads a torchvision segmentation model's {@code weights} into {@code model}, strictly. */
    public static ImportReport load(SegmentationModel model, StateDict weights) {
        return load(model, weights, false);
    }

    /**
     * Loads a torchvision segmentation model's {@code weights} into {@code model}, which must be built from the kind's
     * preset (or a config of the same structure).
     *
     * @param allowUnexpected accept (and report) keys that match no parameter of the model
     * @throws IllegalArgumentException if the config differs from torchvision's structure (listing how), a key is
     *                                  missing or unexpected, or a shape differs (naming the key and both shapes)
     */
    public static ImportReport load(SegmentationModel model, StateDict weights, boolean allowUnexpected) {
        ModelConfig config = model.config();
        Kind kind = kindOf(config);
        List<String> differences = differences(config, kind);
        if (!differences.isEmpty()) {
            throw new IllegalArgumentException("this " + config.typeName() + " config differs from torchvision's "
                    + kind.builder() + ": " + String.join("; ", differences) + ". Build it with " + kind.preset()
                    + " or TorchvisionSegmentationWeights.config(...)");
        }
        Function<String, String> module = kind == Kind.FCN ? TorchvisionSegmentationWeights::fcn
                : TorchvisionSegmentationWeights::deeplab;
        List<ParamKey> keys = ModelKeys.of(model.graph(), config, BACKBONE, module, null, "torchvision");
        boolean aux = keys.stream().anyMatch(p -> p.torchKey().startsWith("aux_classifier."));
        Predicate<String> unused = local -> local.endsWith("num_batches_tracked")
                || local.startsWith(BACKBONE + "fc.") || !aux && local.startsWith("aux_classifier.");
        String what = "torchvision's " + kind.builder() + " into segnet's " + config.typeName() + " "
                + EncoderWeights.describe(EncoderWeights.encoderOf(config));
        return KeyedImport.load(model.graph(), keys, weights, what, "the model", unused, allowUnexpected,
                (key, file, segnet) -> key.torchKey().startsWith(BACKBONE) ? EncoderWeights.shapeHint(key, file,
                        segnet) : " (another head width or number of classes? TorchvisionSegmentationWeights.config"
                        + " reads them from the file)");
    }

    private static Kind kindOf(ModelConfig config) {
        if (config instanceof PSPNetConfig) {
            return Kind.FCN;
        } else if (config instanceof DeepLabV3PlusConfig) {
            return Kind.DEEPLABV3;
        }
        throw new IllegalArgumentException("segnet's " + config.typeName() + " has no torchvision segmentation"
                + " counterpart; fcn_resnet50 imports into a pspnet without pyramid, deeplabv3_resnet50 into a"
                + " deeplabv3plus without decoder");
    }

    private static List<String> differences(ModelConfig config, Kind kind) {
        List<String> d = new ArrayList<>();
        if (!(EncoderWeights.encoderOf(config) instanceof ResNetConfig r)) {
            d.add("the encoder is " + EncoderWeights.encoderOf(config).typeName() + " (torchvision: resnet)");
            return d;
        }
        ModelKeys.differs(d, "encoder outputStride", r.outputStride(), 8, "torchvision");
        ModelKeys.differs(d, "encoder dilation", r.dilation(), ResNetConfig.Dilation.TORCHVISION, "torchvision");
        if (kind == Kind.FCN) {
            PSPNetConfig c = (PSPNetConfig) config;
            ModelKeys.differs(d, "pyramid", c.pyramid(), false, "torchvision");
            ModelKeys.differs(d, "encoderDepth", c.encoderDepth(), 0, "torchvision");
            ModelKeys.differs(d, "bottleneckKernel", c.bottleneckKernel(), 3, "torchvision");
            ModelKeys.differs(d, "headKernel", c.headKernel(), 1, "torchvision");
            ModelKeys.differs(d, "alignCorners", c.alignCorners(), false, "torchvision");
        } else {
            DeepLabV3PlusConfig c = (DeepLabV3PlusConfig) config;
            ModelKeys.differs(d, "decoder", c.decoder(), false, "torchvision");
            ModelKeys.differs(d, "separable", c.separable(), false, "torchvision");
            ModelKeys.differs(d, "asppOutputConv", c.asppOutputConv(), true, "torchvision");
            ModelKeys.differs(d, "alignCorners", c.alignCorners(), false, "torchvision");
            ModelKeys.differs(d, "number of asppRates", c.asppRates().size(), 3, "torchvision");
        }
        return d;
    }

    private static String fcn(String name) {
        return switch (name) {
            case "head.bottleneck.conv" -> "classifier.0";
            case "head.bottleneck.bn" -> "classifier.1";
            case "head.classifier" -> "classifier.4";
            case "aux.conv.conv" -> "aux_classifier.0";
            case "aux.conv.bn" -> "aux_classifier.1";
            case "aux.classifier" -> "aux_classifier.4";
            default -> null;
        };
    }

    private static String deeplab(String name) {
        if (name.equals("head.classifier")) {
            return "classifier.4";
        }
        Matcher m = ASPP.matcher(name);
        if (!m.matches()) {
            return null;
        }
        boolean conv = m.group(3).equals("conv");
        if (m.group(2) != null) {
            return "classifier.0.convs." + m.group(2) + (conv ? ".0" : ".1");
        }
        return switch (m.group(1)) {
            case "pooling" -> "classifier.0.convs.4" + (conv ? ".1" : ".2");
            case "project" -> "classifier.0.project" + (conv ? ".0" : ".1");
            default -> conv ? "classifier.1" : "classifier.2";
        };
    }

    private static LocalKeys keys(StateDict weights) {
        return new LocalKeys(weights, BACKBONE + "conv1.weight", "a torchvision segmentation model's ResNet backbone;"
                + " fcn_resnet50 and deeplabv3_resnet50 import");
    }

    private static String firstHeadKey(LocalKeys k) {
        for (String n : k.local()) {
            if (n.startsWith("classifier.")) {
                return n;
            }
        }
        return "no classifier.* keys";
    }
}
