package io.segnet.models.unet;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.segnet.models.ConfigChecks;
import io.segnet.models.InputSizeRule;
import io.segnet.models.LossConfig;
import io.segnet.models.ModelConfig;
import io.segnet.models.ModelGraph;
import io.segnet.models.Training;
import io.segnet.models.Upsampling;
import io.segnet.models.encoder.EncoderConfig;
import io.segnet.models.encoder.ResNetConfig;
import io.segnet.models.encoder.SmallEncoderConfig;

import java.util.List;

/**
 * U-Net's configuration ({@code "type": "unet"}). The classic U-Net is {@link #classic}: the small encoder (a double
 * convolution per level, {@code depth} poolings, base width doubling per level), transposed-convolution upsampling,
 * concatenated skips; any encoder fits (VGG16, ResNet), the decoder being sized from its feature maps.
 *
 * <p>Accepted input sizes: with {@link Upsampling#TRANSPOSED}, multiples of the encoder's output stride (each
 * upsampling restores its skip's size exactly); with {@link Upsampling#BILINEAR} or {@link Upsampling#NEAREST}, any
 * size of at least the output stride.
 *
 * <p>{@link #smp} is segmentation_models_pytorch's {@code Unet} on a ResNet: nearest-neighbour upsampling, decoder
 * widths 16, 32, 64, 128, 256 and a 3x3 head, so that an smp state_dict imports whole
 * ({@link io.segnet.models.weights.SmpWeights}).
 *
 * @param inChannels      image channels
 * @param numClasses      classes (logit channels)
 * @param inputHeight     build height
 * @param inputWidth      build width
 * @param encoder         the encoder
 * @param upsampling      decoder upsampling (default {@link Upsampling#TRANSPOSED})
 * @param batchNorm       conv-BN-ReLU in the decoder (else conv-ReLU with bias)
 * @param decoderChannels decoder width per level, finest first ({@code encoder levels - 1} entries), or empty for
 *                        {@link UNetDecoder#widths the default rule}
 * @param headKernel      kernel of the classifier: 1 (default) or 3 (smp's {@code SegmentationHead}); 0 reads as 1
 * @param loss            training loss (default cross-entropy)
 */
@JsonTypeName("unet")
public record UNetConfig(int inChannels, int numClasses, int inputHeight, int inputWidth, EncoderConfig encoder,
                         Upsampling upsampling, boolean batchNorm, List<Integer> decoderChannels, int headKernel,
                         LossConfig loss) implements ModelConfig {

    /** smp's {@code Unet} decoder widths, finest first (its {@code decoder_channels} (256, 128, 64, 32, 16)). */
    public static final List<Integer> SMP_DECODER_CHANNELS = List.of(16, 32, 64, 128, 256);

    @JsonCreator
    public UNetConfig {
        ConfigChecks.required("UNetConfig", "encoder", encoder, "e.g. {\"type\": \"small\", \"width\": 64, \"depth\":"
                + " 4, \"batchNorm\": true} for the classic U-Net");
        upsampling = upsampling == null ? Upsampling.TRANSPOSED : upsampling;
        headKernel = ConfigChecks.headKernel("UNetConfig", headKernel);
        decoderChannels = ConfigChecks.positives("UNetConfig", "decoderChannels", decoderChannels);
        if (!decoderChannels.isEmpty() && decoderChannels.size() != encoder.levels() - 1) {
            throw new IllegalArgumentException("UNetConfig: decoderChannels has " + decoderChannels.size()
                    + " entries but the " + encoder.typeName() + " encoder has " + encoder.levels() + " levels, so"
                    + " the decoder has " + (encoder.levels() - 1) + "; give that many widths (finest first) or none");
        }
        loss = ConfigChecks.modelFields("UNetConfig", inChannels, numClasses, inputHeight, inputWidth, loss,
                InputSizeRule.forUpsampling("U-Net", encoder, upsampling));
    }

    /** A U-Net with a 1x1 classifier (the config before {@code headKernel} existed). */
    public UNetConfig(int inChannels, int numClasses, int inputHeight, int inputWidth, EncoderConfig encoder,
                      Upsampling upsampling, boolean batchNorm, List<Integer> decoderChannels, LossConfig loss) {
        this(inChannels, numClasses, inputHeight, inputWidth, encoder, upsampling, batchNorm, decoderChannels, 1, loss);
    }

    /**
     * segmentation_models_pytorch's {@code Unet(encoder_name="resnet<depth>")} with its defaults: the ResNet at output
     * stride 32, batch norm, nearest-neighbour upsampling, decoder widths {@link #SMP_DECODER_CHANNELS}, a 3x3 head,
     * cross-entropy.
     */
    public static UNetConfig smp(int inChannels, int numClasses, int height, int width, ResNetConfig encoder) {
        return new UNetConfig(inChannels, numClasses, height, width, encoder, Upsampling.NEAREST, true,
                SMP_DECODER_CHANNELS, 3, LossConfig.crossEntropy());
    }

    /**
     * The classic U-Net: small encoder of base width {@code baseWidth} and {@code depth} poolings, batch norm,
     * transposed-convolution upsampling, symmetric decoder, cross-entropy.
     */
    public static UNetConfig classic(int inChannels, int numClasses, int height, int width, int baseWidth, int depth) {
        return new UNetConfig(inChannels, numClasses, height, width, new SmallEncoderConfig(baseWidth, depth, true),
                Upsampling.TRANSPOSED, true, List.of(), LossConfig.crossEntropy());
    }

    @Override
    public InputSizeRule inputSizeRule() {
        return InputSizeRule.forUpsampling("U-Net", encoder, upsampling);
    }

    @Override
    public ModelGraph buildGraph(Training training) {
        return UNet.build(this, training);
    }

    @Override
    public UNetConfig withInputSize(int height, int width) {
        return new UNetConfig(inChannels, numClasses, height, width, encoder, upsampling, batchNorm, decoderChannels,
                headKernel, loss);
    }

    /** This config with another upsampling mode. */
    public UNetConfig withUpsampling(Upsampling mode) {
        return new UNetConfig(inChannels, numClasses, inputHeight, inputWidth, encoder, mode, batchNorm,
                decoderChannels, headKernel, loss);
    }

    /** This config with another encoder (decoder widths reset to the default rule). */
    public UNetConfig withEncoder(EncoderConfig e) {
        return new UNetConfig(inChannels, numClasses, inputHeight, inputWidth, e, upsampling, batchNorm, List.of(),
                headKernel, loss);
    }
}
