package io.segnet.models.pspnet;

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
 * PSPNet's configuration ({@code "type": "pspnet"}); {@link #standard} is the paper's ResNet-50 at output stride 8.
 *
 * <p>Pyramid pooling on the deepest map ({@code C} channels): for each bin count, adaptive average pooling, a 1x1
 * conv-BN-ReLU to {@code branchChannels} (default {@code C / bins}) and a bilinear resize back; concatenated with the
 * map, a 3x3 conv-BN-ReLU to {@code bottleneckChannels} and a 1x1 classifier. The auxiliary head (on the encoder's
 * second-deepest map: ResNet's layer3) is a 3x3 conv-BN-ReLU to {@code auxiliaryChannels} and a 1x1 classifier, with
 * loss weight {@code auxiliaryWeight}; it is used in training only. The papers' dropout (0.1) before the classifiers is
 * left out. Both heads are upsampled bilinearly to the input size. Any input size of at least the output stride.
 * Training needs batches of 2 or more (batch norm on the 1x1 pooled branch).
 *
 * @param inChannels         image channels
 * @param numClasses         classes
 * @param inputHeight        build height
 * @param inputWidth         build width
 * @param encoder            the encoder (a dilated ResNet in the paper)
 * @param bins               pooling grid sizes (default 1, 2, 3, 6)
 * @param branchChannels     channels of each pyramid branch, or 0 for {@code C / bins.size()}
 * @param bottleneckChannels channels of the 3x3 convolution after the concatenation (512)
 * @param auxiliary          add the auxiliary head
 * @param auxiliaryChannels  channels of the auxiliary head's 3x3 convolution (256)
 * @param auxiliaryWeight    loss weight of the auxiliary head (0.4)
 * @param loss               training loss
 */
@JsonTypeName("pspnet")
public record PSPNetConfig(int inChannels, int numClasses, int inputHeight, int inputWidth, EncoderConfig encoder,
                           List<Integer> bins, int branchChannels, int bottleneckChannels, boolean auxiliary,
                           int auxiliaryChannels, double auxiliaryWeight, LossConfig loss) implements ModelConfig {

    /** The paper's pyramid. */
    public static final List<Integer> DEFAULT_BINS = List.of(1, 2, 3, 6);

    public PSPNetConfig {
        String r = "PSPNetConfig";
        ConfigChecks.required(r, "encoder", encoder, "the paper's is {\"type\": \"resnet\", \"depth\": 50,"
                + " \"outputStride\": 8, \"width\": 64}");
        bins = ConfigChecks.positives(r, "bins", bins == null || bins.isEmpty() ? DEFAULT_BINS : bins);
        if (bins.stream().distinct().count() != bins.size()) {
            throw new IllegalArgumentException(r + ": bins must be distinct, got " + bins);
        }
        if (branchChannels < 0) {
            throw new IllegalArgumentException(r + ": branchChannels must be >= 0 (0: channels / number of bins), got "
                    + branchChannels);
        }
        ConfigChecks.positive(r, "bottleneckChannels", bottleneckChannels);
        if (auxiliary) {
            ConfigChecks.positive(r, "auxiliaryChannels", auxiliaryChannels);
            if (!(auxiliaryWeight > 0) || Double.isInfinite(auxiliaryWeight)) {
                throw new IllegalArgumentException(r + ": auxiliaryWeight must be positive (the paper's 0.4), got "
                        + auxiliaryWeight);
            }
            if (encoder.levels() < 3) {
                throw new IllegalArgumentException(r + ": the auxiliary head needs an encoder with at least two computed"
                        + " feature maps; the " + encoder.typeName() + " encoder has " + encoder.levels() + " levels;"
                        + " set auxiliary to false or use a deeper encoder");
            }
        }
        loss = ConfigChecks.modelFields(r, inChannels, numClasses, inputHeight, inputWidth, loss, sizeRule(encoder));
    }

    /** The paper's PSPNet: ResNet-50 at output stride 8, bins 1/2/3/6, auxiliary head with weight 0.4. */
    public static PSPNetConfig standard(int inChannels, int numClasses, int height, int width) {
        return new PSPNetConfig(inChannels, numClasses, height, width, ResNetConfig.of(50, 8), DEFAULT_BINS, 0, 512,
                true, 256, 0.4, LossConfig.crossEntropy());
    }

    private static InputSizeRule sizeRule(EncoderConfig encoder) {
        return new InputSizeRule(1, encoder.outputStride(), "the encoder's output stride");
    }

    @Override
    public InputSizeRule inputSizeRule() {
        return sizeRule(encoder);
    }

    @Override
    public ModelGraph buildGraph(Training training) {
        return PSPNet.build(this, training);
    }

    @Override
    public PSPNetConfig withInputSize(int height, int width) {
        return new PSPNetConfig(inChannels, numClasses, height, width, encoder, bins, branchChannels,
                bottleneckChannels, auxiliary, auxiliaryChannels, auxiliaryWeight, loss);
    }

    /** This config with another encoder. */
    public PSPNetConfig withEncoder(EncoderConfig e) {
        return new PSPNetConfig(inChannels, numClasses, inputHeight, inputWidth, e, bins, branchChannels,
                bottleneckChannels, auxiliary, auxiliaryChannels, auxiliaryWeight, loss);
    }
}
