package io.segnet.models.fcn;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.segnet.models.ConfigChecks;
import io.segnet.models.InputSizeRule;
import io.segnet.models.LossConfig;
import io.segnet.models.ModelConfig;
import io.segnet.models.ModelGraph;
import io.segnet.models.Training;
import io.segnet.models.Upsampling;
import io.segnet.models.encoder.EncoderConfig;
import io.segnet.models.encoder.Vgg16Config;

/**
 * FCN's configuration ({@code "type": "fcn"}); {@link #standard} is the paper's FCN-8s on VGG16 with {@code fc6} a
 * 7x7 convolution and {@code fc7} a 1x1 convolution of 4096 channels.
 *
 * <p>Head on the deepest map: {@code fc6} ({@code fc6Kernel} x {@code fc6Kernel}, same padding, ReLU), {@code fc7}
 * (1x1, ReLU), a 1x1 score layer. The variant's skips are the encoder's first maps at strides 16 and 8 (VGG16:
 * pool4 and pool3), each with a 1x1 score layer; fusion is a sum. With {@link Upsampling#TRANSPOSED} every upsampling by
 * {@code r} is a transposed convolution with kernel {@code 2r} and stride {@code r}, initialised to bilinear
 * interpolation, whose output is cropped at offset {@code r/2} to the reference (the paper's crop alignment); sizes
 * must then be multiples of the output stride. With {@link Upsampling#BILINEAR} it is a bilinear resize to the
 * reference; any size of at least the output stride. The paper's dropout after {@code fc6} and {@code fc7} is left
 * out.
 *
 * @param inChannels  image channels
 * @param numClasses  classes
 * @param inputHeight build height
 * @param inputWidth  build width
 * @param encoder     the encoder (output stride 32 for FCN-16s and FCN-8s)
 * @param variant     FCN-32s, -16s or -8s
 * @param upsampling  learned transposed convolutions or bilinear resizes
 * @param fc6Channels channels of fc6 (4096 in the paper)
 * @param fc6Kernel   odd kernel size of fc6 (7 in the paper)
 * @param fc7Channels channels of fc7 (4096)
 * @param loss        training loss
 */
@JsonTypeName("fcn")
public record FcnConfig(int inChannels, int numClasses, int inputHeight, int inputWidth, EncoderConfig encoder,
                        FcnVariant variant, Upsampling upsampling, int fc6Channels, int fc6Kernel, int fc7Channels,
                        LossConfig loss) implements ModelConfig {

    public FcnConfig {
        String r = "FcnConfig";
        ConfigChecks.required(r, "encoder", encoder, "the paper's is {\"type\": \"vgg16\", \"width\": 64,"
                + " \"batchNorm\": false}");
        variant = variant == null ? FcnVariant.FCN_8S : variant;
        upsampling = upsampling == null ? Upsampling.TRANSPOSED : upsampling;
        if (upsampling == Upsampling.NEAREST) {
            throw new IllegalArgumentException(r + ": FCN upsamples its scores with TRANSPOSED (learned, the paper's) or"
                    + " BILINEAR; NEAREST is U-Net's and UNet++'s option (segmentation_models_pytorch's decoders)");
        }
        ConfigChecks.positive(r, "fc6Channels", fc6Channels);
        ConfigChecks.positive(r, "fc7Channels", fc7Channels);
        if (fc6Kernel < 1 || fc6Kernel % 2 == 0) {
            throw new IllegalArgumentException(r + ": fc6Kernel must be odd and positive (7 in the paper), got "
                    + fc6Kernel);
        }
        if (!variant.skipStrides().isEmpty() && encoder.outputStride() != 32) {
            throw new IllegalArgumentException(r + ": " + variant + " fuses the stride-16/8 maps into stride-32 scores,"
                    + " but the " + encoder.typeName() + " encoder's output stride is " + encoder.outputStride()
                    + "; use outputStride 32 or FCN_32S");
        }
        loss = ConfigChecks.modelFields(r, inChannels, numClasses, inputHeight, inputWidth, loss,
                InputSizeRule.forUpsampling("FCN", encoder, upsampling));
    }

    /** The paper's FCN-8s: VGG16, fc6 7x7 and fc7 1x1 with 4096 channels, learned bilinear-initialised upsampling. */
    public static FcnConfig standard(int inChannels, int numClasses, int height, int width) {
        return new FcnConfig(inChannels, numClasses, height, width, Vgg16Config.standard(), FcnVariant.FCN_8S,
                Upsampling.TRANSPOSED, 4096, 7, 4096, LossConfig.crossEntropy());
    }

    @Override
    public InputSizeRule inputSizeRule() {
        return InputSizeRule.forUpsampling("FCN", encoder, upsampling);
    }

    @Override
    public ModelGraph buildGraph(Training training) {
        return FCN.build(this, training);
    }

    @Override
    public FcnConfig withInputSize(int height, int width) {
        return new FcnConfig(inChannels, numClasses, height, width, encoder, variant, upsampling, fc6Channels,
                fc6Kernel, fc7Channels, loss);
    }

    /** This config as another variant. */
    public FcnConfig withVariant(FcnVariant v) {
        return new FcnConfig(inChannels, numClasses, inputHeight, inputWidth, encoder, v, upsampling, fc6Channels,
                fc6Kernel, fc7Channels, loss);
    }

    /** This config with another upsampling mode. */
    public FcnConfig withUpsampling(Upsampling mode) {
        return new FcnConfig(inChannels, numClasses, inputHeight, inputWidth, encoder, variant, mode, fc6Channels,
                fc6Kernel, fc7Channels, loss);
    }

    /** This config with another encoder. */
    public FcnConfig withEncoder(EncoderConfig e) {
        return new FcnConfig(inChannels, numClasses, inputHeight, inputWidth, e, variant, upsampling, fc6Channels,
                fc6Kernel, fc7Channels, loss);
    }
}
