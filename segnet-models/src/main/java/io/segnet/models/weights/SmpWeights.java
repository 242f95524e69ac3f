package io.segnet.models.weights;

import io.segnet.models.LossConfig;
import io.segnet.models.ModelConfig;
import io.segnet.models.SegmentationModel;
import io.segnet.models.SegmentationModels;
import io.segnet.models.Training;
import io.segnet.models.deeplab.DeepLabV3PlusConfig;
import io.segnet.models.encoder.ResNetConfig;
import io.segnet.models.pspnet.PSPNetConfig;
import io.segnet.models.unet.UNetConfig;
import io.segnet.models.unetplusplus.UNetPlusPlusConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Imports whole segmentation_models_pytorch models: the state_dict of an smp {@code Unet}, {@code UnetPlusPlus},
 * {@code PSPNet} or {@code DeepLabV3Plus} on a ResNet-18/34/50 encoder ({@code torch.save(model.state_dict(), f)},
 * also wrapped by Lightning ({@code model.}) or DataParallel ({@code module.})) into the segnet model of the matching
 * preset ({@link UNetConfig#smp}, {@link UNetPlusPlusConfig#smp}, {@link PSPNetConfig#smp},
 * {@link DeepLabV3PlusConfig#smp}), which then computes what smp's model computes in eval mode.
 *
 * <p>{@link #config} reads the architecture, encoder, input channels, classes and decoder widths from the file;
 * {@link #load} fills a model's every parameter (the keys are listed in {@link SmpKeys}). As for encoders, loading is
 * all or nothing, a shape mismatch names the key and both shapes, and the {@link ImportReport} sorts every key:
 * dropped are batch norm's {@code num_batches_tracked}, smp's optional classification head
 * ({@code classification_head.*}, {@code aux_params}), the encoder's {@code fc.*}, and the ResNet stages smp's
 * PSPNet keeps in its encoder but never runs ({@code encoder.layer3/4.*} at its default depth 3); any other key
 * segnet has no parameter for is unexpected (an error unless allowed).
 */
public final class SmpWeights {
    private static final Pattern UNET_BLOCK = Pattern.compile("decoder\\.blocks\\.(\\d+)\\.conv1\\.0\\.weight");
    private static final Pattern UNETPP_LAST = Pattern.compile("decoder\\.blocks\\.x_0_(\\d+)\\.conv1\\.0\\.weight");

    private SmpWeights() {
    }

    /** Loads a whole smp model's {@code weights} into {@code model}, strictly (no missing, no unexpected keys). */
    public static ImportReport load(SegmentationModel model, StateDict weights) {
        return load(model, weights, false);
    }

    /**
     * Loads a whole smp model's {@code weights} into {@code model}, which must be built from the architecture's smp
     * preset (or any config with the same structure).
     *
     * @param allowUnexpected accept (and report) keys that match no parameter of the model
     * @throws IllegalArgumentException if the config differs from smp's structure (the message lists how), a key is
     *                                  missing or unexpected, or a shape differs (naming the key and both shapes)
     */
    public static ImportReport load(SegmentationModel model, StateDict weights, boolean allowUnexpected) {
        ModelConfig config = model.config();
        List<ParamKey> keys = SmpKeys.of(model.graph(), config);
        Predicate<String> unbuilt = TorchvisionKeys.unbuiltStages(keys, SmpKeys.ENCODER);
        String what = "smp's " + SmpArchitecture.of(config).smpClass() + " into segnet's " + config.typeName() + " "
                + EncoderWeights.describe(EncoderWeights.encoderOf(config));
        return KeyedImport.load(model.graph(), keys, weights, what, "the model", local ->
                        local.endsWith("num_batches_tracked") || local.startsWith(SmpKeys.ENCODER + "fc.")
                                || local.startsWith("classification_head.") || unbuilt.test(local),
                allowUnexpected, SmpWeights::shapeHint);
    }

    /**
     * A new model of {@code config} (initialised from {@code training}'s seed) with {@code weights} loaded whole.
     *
     * @return the model; {@link #load}'s report is dropped (call the two steps to keep it)
     */
    public static SegmentationModel create(ModelConfig config, Training training, StateDict weights) {
        SegmentationModel model = SegmentationModels.create(config, training);
        load(model, weights);
        return model;
    }

    /**
     * The segnet config that an smp state_dict imports into, with smp's defaults where the file cannot tell
     * ({@code DeepLabV3Plus}: output stride 16, rates 12/24/36): {@link #config(StateDict, SmpArchitecture, int, int,
     * int, List)} with the architecture detected.
     */
    public static ModelConfig config(StateDict weights, int inputHeight, int inputWidth) {
        return config(weights, null, inputHeight, inputWidth, 0, List.of());
    }

    /**
     * The segnet config that an smp state_dict imports into: the architecture's preset with the encoder (ResNet
     * depth from the blocks of {@code layer3} and {@code conv3}, width from {@code conv1}), input channels, classes
     * and head kernel ({@code segmentation_head.0.weight}) and decoder widths read from the file; PSPNet's
     * {@code encoder_depth} from the channels its pyramid takes.
     *
     * @param architecture the architecture, or null to detect it from the keys
     * @param inputHeight  the build height (the model runs on any size its rule accepts)
     * @param inputWidth   the build width
     * @param outputStride DeepLabV3Plus's {@code encoder_output_stride}, 16 or 8 (0: smp's default 16; weights do not
     *                     show it); must be 0 for the others
     * @param atrousRates  DeepLabV3Plus's {@code decoder_atrous_rates} (empty: smp's 12, 24, 36); empty for the others
     * @throws IllegalArgumentException if the file is not one of the four smp models on a ResNet-18/34/50, or uses an
     *                                  option segnet does not have (attention, decoders without batch norm in PSPNet)
     */
    public static ModelConfig config(StateDict weights, SmpArchitecture architecture, int inputHeight, int inputWidth,
                                     int outputStride, List<Integer> atrousRates) {
        Set<String> names = weights.tensors().keySet();
        SmpArchitecture found = SmpArchitecture.detect(names);
        if (architecture != null && architecture != found) {
            throw new IllegalArgumentException("the checkpoint is smp's " + found.smpClass() + ", not "
                    + architecture.smpClass());
        }
        if (found != SmpArchitecture.DEEPLABV3PLUS && (outputStride != 0 || !atrousRates.isEmpty())) {
            throw new IllegalArgumentException("an output stride and atrous rates are DeepLabV3Plus's settings; smp's "
                    + found.smpClass() + " has none");
        }
        LocalKeys k = new LocalKeys(weights, "encoder.conv1.weight", "smp's ResNet stem; whole models import from smp's"
                + " models on ResNet-18/34/50 encoders");
        long[] conv1 = k.shape("encoder.conv1.weight");
        int in = (int) conv1[1], width = (int) conv1[0];
        int depth = k.resnetDepth(SmpKeys.ENCODER);
        long[] head = k.shape("segmentation_head.0.weight");
        int classes = (int) head[0], headKernel = (int) head[2];
        for (String n : names) {
            if (n.contains("attention")) {
                throw new IllegalArgumentException("the checkpoint has decoder attention ('" + n + "',"
                        + " decoder_attention_type='scse'), which segnet's decoders do not have");
            }
        }
        for (String norm : List.of("decoder.blocks.0.conv1.1", "decoder.blocks.x_0_0.conv1.1", "decoder.conv.1")) {
            if (k.has(norm + ".weight") && !k.has(norm + ".running_mean")) {
                throw new IllegalArgumentException("the checkpoint's decoder normalises with another layer than batch"
                        + " norm ('" + norm + ".weight' without running statistics: smp's decoder_use_norm"
                        + " layernorm or instancenorm); segnet's decoders use batch norm or none");
            }
        }
        if (k.has("decoder.aspp.0.convs.1.0.weight")) {
            throw new IllegalArgumentException("the checkpoint is smp's DeepLabV3Plus with decoder_aspp_separable=False"
                    + " (plain 3x3 atrous convolutions, separable ones after them); segnet's DeepLabv3+ makes all"
                    + " of them separable or none");
        }
        return switch (found) {
            case UNET -> {
                List<Integer> dc = decoderWidths(k, UNET_BLOCK, "decoder.blocks.%d.conv1.0.weight", "Unet");
                UNetConfig c = UNetConfig.smp(in, classes, inputHeight, inputWidth, resnet(depth, 32, width));
                yield new UNetConfig(in, classes, inputHeight, inputWidth, c.encoder(), c.upsampling(),
                        k.has("decoder.blocks.0.conv1.1.running_mean"), dc, headKernel, c.loss());
            }
            case UNET_PLUS_PLUS -> {
                List<Integer> dc = decoderWidths(k, UNETPP_LAST, "decoder.blocks.x_0_%d.conv1.0.weight",
                        "UnetPlusPlus");
                UNetPlusPlusConfig c = UNetPlusPlusConfig.smp(in, classes, inputHeight, inputWidth,
                        resnet(depth, 32, width));
                yield new UNetPlusPlusConfig(in, classes, inputHeight, inputWidth, c.encoder(), c.upsampling(),
                        k.has("decoder.blocks.x_0_0.conv1.1.running_mean"), false, 0, dc, c.nodeLayout(), headKernel,
                        c.loss());
            }
            case PSPNET -> {
                if (!k.has("decoder.conv.1.running_mean")) {
                    throw new IllegalArgumentException("the checkpoint is smp's PSPNet with psp_use_batchnorm=False;"
                            + " segnet's PSPNet has batch norm on its pyramid and bottleneck");
                }
                ResNetConfig encoder = resnet(depth, 32, width);
                long pyramidIn = k.shape("decoder.psp.blocks.0.pool.1.0.weight")[1];
                PSPNetConfig c = PSPNetConfig.smp(in, classes, inputHeight, inputWidth, encoder);
                yield new PSPNetConfig(in, classes, inputHeight, inputWidth, encoder,
                        pspEncoderDepth(encoder, pyramidIn), true, c.bins(), 0, false,
                        (int) k.shape("decoder.conv.0.weight")[0], 1, false, 0, 0, headKernel, true, c.loss());
            }
            case DEEPLABV3PLUS -> {
                int os = outputStride == 0 ? 16 : outputStride;
                if (os != 16 && os != 8) {
                    throw new IllegalArgumentException("smp's DeepLabV3Plus has output stride 16 or 8, got " + os);
                }
                ResNetConfig encoder = new ResNetConfig(depth, os, width, ResNetConfig.Dilation.UNIFORM);
                DeepLabV3PlusConfig c = DeepLabV3PlusConfig.smp(in, classes, inputHeight, inputWidth, encoder);
                yield new DeepLabV3PlusConfig(in, classes, inputHeight, inputWidth, encoder,
                        (int) k.shape("decoder.aspp.0.convs.0.0.weight")[0],
                        atrousRates.isEmpty() ? c.asppRates() : atrousRates, true, true, true,
                        (int) k.shape("decoder.block1.0.weight")[0], (int) k.shape("decoder.block2.0.1.weight")[0],
                        1, true, LossConfig.crossEntropy());
            }
        };
    }

    private static ResNetConfig resnet(int depth, int outputStride, int width) {
        return new ResNetConfig(depth, outputStride, width, ResNetConfig.Dilation.TORCHVISION);
    }

    /**
     * The decoder widths, finest first, from the output channels of smp's blocks {@code 0..L-1} (deepest first: Unet's
     * {@code blocks.<b>}, UnetPlusPlus's {@code blocks.x_0_<b>}); smp on a ResNet has 5 ({@code encoder_depth} 5), the
     * only depth segnet's U-Net and UNet++ build.
     */
    private static List<Integer> decoderWidths(LocalKeys k, Pattern block, String format, String smpClass) {
        int blocks = 0;
        for (String n : k.local()) {
            Matcher m = block.matcher(n);
            if (m.matches()) {
                blocks = Math.max(blocks, Integer.parseInt(m.group(1)) + 1);
            }
        }
        if (blocks != 5) {
            throw new IllegalArgumentException("the checkpoint is smp's " + smpClass + " with encoder_depth " + blocks
                    + "; segnet's decoder uses all five ResNet stages (smp's default encoder_depth 5)");
        }
        List<Integer> widths = new ArrayList<>();
        for (int b = blocks - 1; b >= 0; b--) {
            widths.add((int) k.shape(String.format(format, b))[0]);
        }
        return widths;
    }

    /**
     * PSPNet's {@code encoder_depth}: the ResNet map whose channels the pyramid takes (3, smp's default, when two
     * maps have as many).
     */
    private static int pspEncoderDepth(ResNetConfig encoder, long channels) {
        int expansion = encoder.bottleneck() ? 4 : 1;
        long[] perDepth = {0, encoder.width(), (long) encoder.width() * expansion, 2L * encoder.width() * expansion,
                4L * encoder.width() * expansion, 8L * encoder.width() * expansion};
        if (perDepth[3] == channels) {
            return 3;
        }
        for (int d = 5; d >= 1; d--) {
            if (perDepth[d] == channels) {
                return d;
            }
        }
        throw new IllegalArgumentException("smp's PSPNet pyramid takes " + channels + " channels, which no stage of"
                + " the ResNet-" + encoder.depth() + " (width " + encoder.width() + ") has: " + Arrays.toString(
                Arrays.copyOfRange(perDepth, 1, 6)));
    }

    private static String shapeHint(ParamKey key, long[] file, long[] segnet) {
        if (key.torchKey().startsWith(SmpKeys.ENCODER)) {
            return EncoderWeights.shapeHint(key, file, segnet);
        }
        return " (another decoder width, head or number of classes? SmpWeights.config reads them from the file)";
    }
}
