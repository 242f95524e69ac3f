package io.segnet.models.deeplab;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.segnet.models.ConfigChecks;
import io.segnet.models.InputSizeRule;
import io.segnet.models.LossConfig;
import io.segnet.models.ModelConfig;
import io.segnet.models.ModelGraph;
import io.segnet.models.Training;
import io.segnet.models.encoder.EncoderConfig;
import io.segnet.models.encoder.ResNetConfig;

import java.util.List;

/**
 * DeepLabv3+'s configuration ({@code "type": "deeplabv3plus"}); {@link #standard} is ResNet-50 at output stride 16
 * with 256-channel ASPP and decoder.
 *
 * <p>ASPP on the deepest map: a 1x1 branch, one 3x3 atrous branch per rate, and an image-pooling branch (global
 * average pooling, 1x1 conv-BN-ReLU, bilinear resize back), each with {@code asppChannels}; concatenated and projected
 * by a 1x1 conv-BN-ReLU. The rates default to 6/12/18 at output stride 16 and 12/24/36 at 8 (the paper's); other
 * strides need explicit rates. Decoder: the ASPP output resized to the stride-4 map, concatenated with a 1x1
 * conv-BN-ReLU projection of that map to {@code lowLevelChannels} (48), two 3x3 conv-BN-ReLU with
 * {@code decoderChannels}, a 1x1 classifier, and a bilinear resize to the input size. With {@code separable}, the atrous
 * branches and the decoder's 3x3 convolutions are depthwise-separable (depthwise 3x3 + pointwise 1x1). The paper's
 * dropout is left out. Any input size of at least the output stride; training needs batches of 2 or more (batch norm
 * on the pooled branch).
 *
 * <p>{@link #smp} is segmentation_models_pytorch's {@code DeepLabV3Plus} on a ResNet, whose state_dict imports whole
 * ({@link io.segnet.models.weights.SmpWeights}): separable convolutions, rates 12/24/36, a separable 3x3
 * conv-BN-ReLU after the ASPP projection ({@code asppOutputConv}), one fusing convolution and {@code align_corners =
 * true} resizes.
 *
 * <p>Without the decoder ({@code decoder = false}) the logits come from the ASPP output (after {@code asppOutputConv})
 * at the output stride: DeepLabv3 (Chen et al. 2017), torchvision's {@code deeplabv3_resnet50} ({@code DeepLabHead}:
 * ASPP, a 3x3 conv-BN-ReLU, a 1x1 classifier), which {@link #torchvisionDeepLabV3} builds; {@code lowLevelChannels},
 * {@code decoderChannels} and {@code fuseConvs} are then unused.
 *
 * @param inChannels       image channels
 * @param numClasses       classes
 * @param inputHeight      build height
 * @param inputWidth       build width
 * @param encoder          the encoder (with a stride-4 map that is not its deepest)
 * @param asppChannels     channels of every ASPP branch and of its projection (256)
 * @param asppRates        atrous rates, or empty for the output stride's defaults
 * @param separable        depthwise-separable ASPP and decoder convolutions
 * @param asppOutputConv   a 3x3 conv-BN-ReLU with {@code asppChannels} (separable with {@code separable}) after the
 *                         ASPP projection, as smp (default false)
 * @param decoder          the stride-4 decoder (default, null reads as true); false: DeepLabv3
 * @param lowLevelChannels channels of the stride-4 projection (48)
 * @param decoderChannels  channels of the decoder's 3x3 convolutions (256)
 * @param fuseConvs        number of 3x3 conv-BN-ReLU after the concatenation: 2 (default, the paper's; 0 reads as 2) or
 *                         1 (smp)
 * @param alignCorners     PyTorch's {@code align_corners} of the two bilinear resizes (ASPP output to stride 4, logits
 *                         to the input size; default false, smp: true)
 * @param loss             training loss
 */
@JsonTypeName("deeplabv3plus")
public record DeepLabV3PlusConfig(int inChannels, int numClasses, int inputHeight, int inputWidth,
                                  EncoderConfig encoder, int asppChannels, List<Integer> asppRates, boolean separable,
                                  boolean asppOutputConv, Boolean decoder, int lowLevelChannels, int decoderChannels,
                                  int fuseConvs,
                                  boolean alignCorners, LossConfig loss) implements ModelConfig {

    /** smp's default {@code decoder_atrous_rates}, at either output stride, and torchvision's DeepLabV3's. */
    public static final List<Integer> SMP_RATES = List.of(12, 24, 36);

    @JsonCreator
    public DeepLabV3PlusConfig {
        String r = "DeepLabV3PlusConfig";
        ConfigChecks.required(r, "encoder", encoder, "the paper's is {\"type\": \"resnet\", \"depth\": 50,"
                + " \"outputStride\": 16, \"width\": 64}");
        ConfigChecks.positive(r, "asppChannels", asppChannels);
        decoder = decoder == null || decoder;
        ConfigChecks.positive(r, "lowLevelChannels", lowLevelChannels);
        ConfigChecks.positive(r, "decoderChannels", decoderChannels);
        fuseConvs = fuseConvs == 0 ? 2 : fuseConvs;
        ConfigChecks.oneOf(r, "fuseConvs", fuseConvs, List.of(1, 2));
        asppRates = ConfigChecks.positives(r, "asppRates", asppRates);
        if (asppRates.isEmpty()) {
            asppRates = defaultRates(encoder.outputStride());
        }
        if (encoder.outputStride() <= 4) {
            throw new IllegalArgumentException(r + ": the decoder fuses the stride-4 features with the deepest ones,"
                    + " but the " + encoder.typeName() + " encoder's output stride is " + encoder.outputStride()
                    + "; use an encoder with output stride 8 or more");
        }
        loss = ConfigChecks.modelFields(r, inChannels, numClasses, inputHeight, inputWidth, loss,
                InputSizeRule.atLeastStride(encoder));
    }

    private static List<Integer> defaultRates(int outputStride) {
        return switch (outputStride) {
            case 16 -> List.of(6, 12, 18);
            case 8 -> List.of(12, 24, 36);
            default -> throw new IllegalArgumentException("DeepLabV3PlusConfig: ASPP rates are defined for output"
                    + " stride 16 (6, 12, 18) and 8 (12, 24, 36), the encoder's is " + outputStride + "; set the"
                    + " encoder's outputStride to 16 or 8, or give asppRates explicitly");
        };
    }

    /**
     * A DeepLabv3+ with two fusing convolutions, no convolution after ASPP and {@code align_corners = false} (the
     * config before {@code asppOutputConv} existed).
     */
    public DeepLabV3PlusConfig(int inChannels, int numClasses, int inputHeight, int inputWidth, EncoderConfig encoder,
                               int asppChannels, List<Integer> asppRates, boolean separable, int lowLevelChannels,
                               int decoderChannels, LossConfig loss) {
        this(inChannels, numClasses, inputHeight, inputWidth, encoder, asppChannels, asppRates, separable, false, true,
                lowLevelChannels, decoderChannels, 2, false, loss);
    }

    /**
     * segmentation_models_pytorch's {@code DeepLabV3Plus(encoder_name="resnet<depth>")} with its defaults: the ResNet
     * dilated to output stride 16 (or 8) with every 3x3 convolution of a dilated stage at the stage's rate (smp's
     * {@code make_dilated}, {@link ResNetConfig.Dilation#UNIFORM}), separable ASPP with rates {@link #SMP_RATES} and
     * 256 channels, a separable 3x3 conv-BN-ReLU after it, a 48-channel stride-4 projection, one separable fusing
     * convolution with 256 channels, a 1x1 classifier, {@code align_corners = true}, cross-entropy.
     *
     * @throws IllegalArgumentException if the encoder is not dilated to 16 or 8 uniformly
     */
    public static DeepLabV3PlusConfig smp(int inChannels, int numClasses, int height, int width,
                                          ResNetConfig encoder) {
        if (encoder.outputStride() == 32 || encoder.dilation() != ResNetConfig.Dilation.UNIFORM) {
            throw new IllegalArgumentException("DeepLabV3PlusConfig.smp: smp dilates the ResNet to output stride 16"
                    + " (or 8) with every 3x3 convolution of a dilated stage at its rate; give a ResNetConfig with"
                    + " outputStride 16 or 8 and dilation UNIFORM, got " + encoder);
        }
        return new DeepLabV3PlusConfig(inChannels, numClasses, height, width, encoder, 256, SMP_RATES, true, true, true,
                48, 256, 1, true, LossConfig.crossEntropy());
    }

    /**
     * torchvision's {@code deeplabv3_resnet50} / {@code DeepLabV3} in eval mode: the ResNet dilated to output stride 8
     * (torchvision's rule), ASPP with 256 channels and rates 12/24/36, a 3x3 conv-BN-ReLU, a 1x1 classifier at
     * stride 8, no decoder, {@code align_corners = false}, cross-entropy. torchvision's auxiliary {@code FCNHead} on
     * layer3 is for training only and has no counterpart here.
     *
     * @throws IllegalArgumentException if the encoder is not dilated to 8 by torchvision's rule
     */
    public static DeepLabV3PlusConfig torchvisionDeepLabV3(int inChannels, int numClasses, int height, int width,
                                                           ResNetConfig encoder, int asppChannels) {
        if (encoder.outputStride() != 8 || encoder.dilation() != ResNetConfig.Dilation.TORCHVISION) {
            throw new IllegalArgumentException("DeepLabV3PlusConfig.torchvisionDeepLabV3: torchvision dilates the"
                    + " ResNet to output stride 8 with replace_stride_with_dilation; give a ResNetConfig with"
                    + " outputStride 8 and dilation TORCHVISION, got " + encoder);
        }
        return new DeepLabV3PlusConfig(inChannels, numClasses, height, width, encoder, asppChannels, SMP_RATES, false,
                true, false, 48, asppChannels, 2, false, LossConfig.crossEntropy());
    }

    /** DeepLabv3+ as published: ResNet-50 at output stride 16, ASPP and decoder with 256 channels, 48 low-level. */
    public static DeepLabV3PlusConfig standard(int inChannels, int numClasses, int height, int width) {
        return new DeepLabV3PlusConfig(inChannels, numClasses, height, width, ResNetConfig.of(50, 16), 256, List.of(),
                false, 48, 256, LossConfig.crossEntropy());
    }

    @Override
    public InputSizeRule inputSizeRule() {
        return InputSizeRule.atLeastStride(encoder);
    }

    @Override
    public ModelGraph buildGraph(Training training) {
        return DeepLabV3Plus.build(this, training);
    }

    @Override
    public DeepLabV3PlusConfig withInputSize(int height, int width) {
        return new DeepLabV3PlusConfig(inChannels, numClasses, height, width, encoder, asppChannels, asppRates,
                separable, asppOutputConv, decoder, lowLevelChannels, decoderChannels, fuseConvs, alignCorners,
                loss);
    }

    /** This config with another encoder (rates re-derived from its output stride). */
    public DeepLabV3PlusConfig withEncoder(EncoderConfig e) {
        return new DeepLabV3PlusConfig(inChannels, numClasses, inputHeight, inputWidth, e, asppChannels, List.of(),
                separable, asppOutputConv, decoder, lowLevelChannels, decoderChannels, fuseConvs, alignCorners,
                loss);
    }

    /** This config with or without depthwise-separable convolutions. */
    public DeepLabV3PlusConfig withSeparable(boolean s) {
        return new DeepLabV3PlusConfig(inChannels, numClasses, inputHeight, inputWidth, encoder, asppChannels,
                asppRates, s, asppOutputConv, decoder, lowLevelChannels, decoderChannels, fuseConvs, alignCorners,
                loss);
    }
}
