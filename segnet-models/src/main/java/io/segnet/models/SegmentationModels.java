package io.segnet.models;

import io.segnet.models.deeplab.DeepLabV3PlusConfig;
import io.segnet.models.encoder.SmallEncoderConfig;
import io.segnet.models.fcn.FcnConfig;
import io.segnet.models.fcn.FcnVariant;
import io.segnet.models.pspnet.PSPNetConfig;
import io.segnet.models.segnet.SegNetConfig;
import io.segnet.models.unet.UNetConfig;
import io.segnet.models.unetplusplus.UNetPlusPlusConfig;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Creates models from a config, or by architecture name with the published defaults:
 *
 * <ul>
 *   <li>{@code fcn8s}, {@code fcn16s}, {@code fcn32s} (alias {@code fcn} for FCN-8s): VGG16, fc6 7x7 / fc7 1x1 with
 *       4096 channels, learned upsampling ({@link FcnConfig#standard});</li>
 *   <li>{@code unet}: small encoder of base width 64 and depth 4 with batch norm, transposed convolutions
 *       ({@link UNetConfig#classic});</li>
 *   <li>{@code unetplusplus} (alias {@code unet++}): base width 32, depth 4, deep supervision
 *       ({@link UNetPlusPlusConfig#of});</li>
 *   <li>{@code segnet}: VGG16 with batch norm ({@link SegNetConfig#standard});</li>
 *   <li>{@code pspnet}: ResNet-50 at output stride 8, auxiliary head ({@link PSPNetConfig#standard});</li>
 *   <li>{@code deeplabv3plus} (alias {@code deeplabv3+}): ResNet-50 at output stride 16, 256-channel ASPP
 *       ({@link DeepLabV3PlusConfig#standard}).</li>
 * </ul>
 * and {@link #quickstart}, the small U-Net of {@code segnet quickstart}.
 */
public final class SegmentationModels {

    /** Channels of the quickstart U-Net's decoder levels, finest first (the encoder's are 16, 32, 64, 128). */
    public static final List<Integer> QUICKSTART_DECODER_CHANNELS = List.of(8, 16, 32);

    private SegmentationModels() {
    }

    /**
     * The quickstart's model for images of {@code inChannels x height x width}: a U-Net with a base width of 16 and
     * three poolings (output stride 8, a receptive field wider than an MNIST digit), batch norm and
     * transposed-convolution upsampling, and a decoder half as wide as the encoder
     * ({@link #QUICKSTART_DECODER_CHANNELS}); the size is padded up to multiples of 8 (64x84 becomes 64x88). The loss
     * is cross-entropy plus soft Dice: M2NIST's digits cover 6% of the pixels, and the Dice term, which weighs every
     * class alike, lifts their IoU early. Measured over 2 epochs of the quickstart: mean IoU 0.56 with cross-entropy
     * alone, 0.76 with Dice added, 0.83 with the narrow decoder as well, which also trains 15% faster (the
     * full-resolution decoder level is a fifth of the work).
     */
    public static ModelConfig quickstart(int inChannels, int numClasses, int height, int width) {
        SmallEncoderConfig encoder = new SmallEncoderConfig(16, 3, true);
        InputSizeRule rule = InputSizeRule.forUpsampling("U-Net", encoder, Upsampling.TRANSPOSED);
        return new UNetConfig(inChannels, numClasses, (int) rule.padTo(height), (int) rule.padTo(width), encoder,
                Upsampling.TRANSPOSED, true, QUICKSTART_DECODER_CHANNELS, LossConfig.crossEntropyDice(1, 1));
    }

    /** A default config by architecture name, for images of {@code inChannels x height x width}. */
    @FunctionalInterface
    private interface Factory {
        ModelConfig create(int inChannels, int numClasses, int height, int width);
    }

    private static final Map<String, Factory> FACTORIES = new LinkedHashMap<>();

    static {
        FACTORIES.put("fcn8s", (c, k, h, w) -> FcnConfig.standard(c, k, h, w));
        FACTORIES.put("fcn16s", (c, k, h, w) -> FcnConfig.standard(c, k, h, w).withVariant(FcnVariant.FCN_16S));
        FACTORIES.put("fcn32s", (c, k, h, w) -> FcnConfig.standard(c, k, h, w).withVariant(FcnVariant.FCN_32S));
        FACTORIES.put("unet", (c, k, h, w) -> UNetConfig.classic(c, k, h, w, 64, 4));
        FACTORIES.put("unetplusplus", (c, k, h, w) -> UNetPlusPlusConfig.of(c, k, h, w, 32, 4));
        FACTORIES.put("segnet", SegNetConfig::standard);
        FACTORIES.put("pspnet", PSPNetConfig::standard);
        FACTORIES.put("deeplabv3plus", DeepLabV3PlusConfig::standard);
    }

    private static final Map<String, String> ALIASES = Map.of("fcn", "fcn8s", "unet++", "unetplusplus",
            "deeplabv3+", "deeplabv3plus", "deeplab", "deeplabv3plus", "psp", "pspnet");

    /** The architecture names {@link #config(String, int, int, int, int)} knows (aliases not included). */
    public static List<String> names() {
        return List.copyOf(FACTORIES.keySet());
    }

    /**
     * The default config of architecture {@code name} (case and '-', '_' ignored).
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones) or a config the
     *                                  defaults reject (e.g. an input size to pad)
     */
    public static ModelConfig config(String name, int inChannels, int numClasses, int height, int width) {
        Objects.requireNonNull(name, "architecture name");
        String key = name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        key = ALIASES.getOrDefault(key, key);
        Factory f = FACTORIES.get(key);
        if (f == null) {
            throw new IllegalArgumentException("unknown architecture '" + name + "'; known: " + names()
                    + " (aliases " + ALIASES.keySet() + ")");
        }
        return f.create(inChannels, numClasses, height, width);
    }

    /** A new model of architecture {@code name} with its defaults, trained with {@link Training#defaults()}. */
    public static SegmentationModel create(String name, int inChannels, int numClasses, int height, int width) {
        return create(config(name, inChannels, numClasses, height, width));
    }

    /** A new model of {@code config} with Adam (learning rate 1e-3) and seed 42. */
    public static SegmentationModel create(ModelConfig config) {
        return create(config, Training.defaults());
    }

    /** A new, initialised model of {@code config} with the given training setup. */
    public static SegmentationModel create(ModelConfig config, Training training) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(training, "training");
        ModelGraph plan = config.buildGraph(training);
        ComputationGraph graph = new ComputationGraph(plan.configuration());
        graph.init();
        return new SegmentationModel(config, plan, graph, ModelCard.create(training.seed()));
    }
}
