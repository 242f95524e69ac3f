package io.segnet.models.pspnet;

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
 * <p>{@link #smp} is segmentation_models_pytorch's {@code PSPNet} on a ResNet, whose state_dict imports whole
 * ({@link io.segnet.models.weights.SmpWeights}): it uses the encoder's first {@code encoderDepth} = 3 stages (ResNet's
 * stem, layer1 and layer2, stride 8, no dilation), no batch norm on the 1x1 bin, a 1x1 bottleneck, a 3x3 classifier
 * and {@code align_corners = true} resizes.
 *
 * <p>Without the pyramid ({@code pyramid = false}) the deepest map goes straight to the bottleneck: the PSPNet
 * paper's baseline FCN, and torchvision's {@code fcn_resnet50} ({@code FCNHead}: 3x3 conv-BN-ReLU to a quarter of the
 * channels and a 1x1 classifier, the same on layer3 as auxiliary head), which {@link #torchvisionFcn} builds.
 *
 * @param inChannels         image channels
 * @param numClasses         classes
 * @param inputHeight        build height
 * @param inputWidth         build width
 * @param encoder            the encoder (a dilated ResNet in the paper)
 * @param encoderDepth       encoder stages used, smp's {@code encoder_depth} (the deepest map is map
 *                           {@code encoderDepth}, e.g. 3: ResNet's layer2), or 0 (default) for the whole encoder
 * @param pyramid            the pyramid pooling module (default, null reads as true); false: none, the bins unused
 * @param bins               pooling grid sizes (default 1, 2, 3, 6)
 * @param branchChannels     channels of each pyramid branch, or 0 for {@code C / bins.size()}
 * @param globalBinBatchNorm batch norm on the 1x1 bin's projection (default, null reads as true); false: a biased
 *                           convolution and ReLU, as smp
 * @param bottleneckChannels channels of the convolution after the concatenation (512)
 * @param bottleneckKernel   its kernel: 3 (default, the paper's; 0 reads as 3) or 1 (smp)
 * @param auxiliary          add the auxiliary head
 * @param auxiliaryChannels  channels of the auxiliary head's 3x3 convolution (256)
 * @param auxiliaryWeight    loss weight of the auxiliary head (0.4)
 * @param headKernel         kernel of the classifiers: 1 (default) or 3 (smp); 0 reads as 1
 * @param alignCorners       PyTorch's {@code align_corners} of the bins' and the logits' bilinear resizes (default
 *                           false; smp: true)
 * @param loss               training loss
 */
@JsonTypeName("pspnet")
public record PSPNetConfig(int inChannels, int numClasses, int inputHeight, int inputWidth, EncoderConfig encoder,
                           int encoderDepth, Boolean pyramid, List<Integer> bins, int branchChannels,
                           Boolean globalBinBatchNorm,
                           int bottleneckChannels, int bottleneckKernel, boolean auxiliary, int auxiliaryChannels,
                           double auxiliaryWeight, int headKernel, boolean alignCorners, LossConfig loss)
        implements ModelConfig {

    /** The paper's pyramid. */
    public static final List<Integer> DEFAULT_BINS = List.of(1, 2, 3, 6);

    @JsonCreator
    public PSPNetConfig {
        String r = "PSPNetConfig";
        ConfigChecks.required(r, "encoder", encoder, "the paper's is {\"type\": \"resnet\", \"depth\": 50,"
                + " \"outputStride\": 8, \"width\": 64}");
        if (encoderDepth < 0 || encoderDepth > encoder.levels() - 1) {
            throw new IllegalArgumentException(r + ": encoderDepth must be 0 (the whole encoder) or 1 to "
                    + (encoder.levels() - 1) + " (the " + encoder.typeName() + " encoder's stages), got "
                    + encoderDepth);
        }
        pyramid = pyramid == null || pyramid;
        globalBinBatchNorm = globalBinBatchNorm == null || globalBinBatchNorm;
        bottleneckKernel = bottleneckKernel == 0 ? 3 : bottleneckKernel;
        ConfigChecks.oneOf(r, "bottleneckKernel", bottleneckKernel, List.of(1, 3));
        headKernel = ConfigChecks.headKernel(r, headKernel);
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
            int levels = encoderDepth == 0 ? encoder.levels() : encoderDepth + 1;
            if (levels < 3) {
                throw new IllegalArgumentException(r + ": the auxiliary head needs an encoder with at least two computed"
                        + " feature maps; the " + encoder.typeName() + " encoder" + (encoderDepth == 0 ? "" : " at"
                        + " encoderDepth " + encoderDepth) + " has " + levels + " levels; set auxiliary to false or"
                        + " use a deeper encoder");
            }
        }
        loss = ConfigChecks.modelFields(r, inChannels, numClasses, inputHeight, inputWidth, loss,
                InputSizeRule.atLeastStride(encoder));
    }

    /**
     * A PSPNet on the whole encoder with batch norm on every bin, a 3x3 bottleneck, 1x1 classifiers and
     * {@code align_corners = false} (the config before {@code encoderDepth} existed).
     */
    public PSPNetConfig(int inChannels, int numClasses, int inputHeight, int inputWidth, EncoderConfig encoder,
                        List<Integer> bins, int branchChannels, int bottleneckChannels, boolean auxiliary,
                        int auxiliaryChannels, double auxiliaryWeight, LossConfig loss) {
        this(inChannels, numClasses, inputHeight, inputWidth, encoder, 0, true, bins, branchChannels, true,
                bottleneckChannels, 3, auxiliary, auxiliaryChannels, auxiliaryWeight, 1, false, loss);
    }

    /** The paper's PSPNet: ResNet-50 at output stride 8, bins 1/2/3/6, auxiliary head with weight 0.4. */
    public static PSPNetConfig standard(int inChannels, int numClasses, int height, int width) {
        return new PSPNetConfig(inChannels, numClasses, height, width, ResNetConfig.of(50, 8), DEFAULT_BINS, 0, 512,
                true, 256, 0.4, LossConfig.crossEntropy());
    }

    /**
     * segmentation_models_pytorch's {@code PSPNet(encoder_name="resnet<depth>")} with its defaults: the first three
     * stages of the (undilated) ResNet, bins 1/2/3/6 with {@code C / 4} channels each and no batch norm on the 1x1
     * bin, a 1x1 conv-BN-ReLU to 512 channels, a 3x3 classifier, {@code align_corners = true}, no auxiliary head,
     * cross-entropy.
     */
    public static PSPNetConfig smp(int inChannels, int numClasses, int height, int width, ResNetConfig encoder) {
        return new PSPNetConfig(inChannels, numClasses, height, width, encoder, 3, true, DEFAULT_BINS, 0, false, 512, 1,
                false, 0, 0, 3, true, LossConfig.crossEntropy());
    }

    /**
     * torchvision's {@code fcn_resnet50} / {@code FCN}: the ResNet dilated to output stride 8 (torchvision's rule), no
     * pyramid, {@code FCNHead} (3x3 conv-BN-ReLU to a quarter of the deepest map's channels, 1x1 classifier) on layer4
     * and, as auxiliary head with loss weight 0.5 (torchvision's reference training), on layer3, cross-entropy.
     *
     * @throws IllegalArgumentException if the encoder is not dilated to 8 by torchvision's rule
     */
    public static PSPNetConfig torchvisionFcn(int inChannels, int numClasses, int height, int width,
                                              ResNetConfig encoder) {
        if (encoder.outputStride() != 8 || encoder.dilation() != ResNetConfig.Dilation.TORCHVISION) {
            throw new IllegalArgumentException("PSPNetConfig.torchvisionFcn: torchvision's FCN dilates the ResNet to"
                    + " output stride 8 with replace_stride_with_dilation; give a ResNetConfig with outputStride 8 and"
                    + " dilation TORCHVISION, got " + encoder);
        }
        int expansion = encoder.bottleneck() ? 4 : 1;
        int top = encoder.width() * 8 * expansion;
        return new PSPNetConfig(inChannels, numClasses, height, width, encoder, 0, false, DEFAULT_BINS, 0, true,
                top / 4, 3, true, top / 2 / 4, 0.5, 1, false, LossConfig.crossEntropy());
    }

    /** The number of encoder feature maps the network builds (the input counts as the first). */
    public int builtLevels() {
        return encoderDepth == 0 ? encoder.levels() : encoderDepth + 1;
    }

    @Override
    public InputSizeRule inputSizeRule() {
        return InputSizeRule.atLeastStride(encoder);
    }

    @Override
    public ModelGraph buildGraph(Training training) {
        return PSPNet.build(this, training);
    }

    @Override
    public PSPNetConfig withInputSize(int height, int width) {
        return new PSPNetConfig(inChannels, numClasses, height, width, encoder, encoderDepth, pyramid, bins,
                branchChannels,
                globalBinBatchNorm, bottleneckChannels, bottleneckKernel, auxiliary, auxiliaryChannels,
                auxiliaryWeight, headKernel, alignCorners, loss);
    }

    /** This config with another encoder (of enough stages for {@code encoderDepth}). */
    public PSPNetConfig withEncoder(EncoderConfig e) {
        return new PSPNetConfig(inChannels, numClasses, inputHeight, inputWidth, e, encoderDepth, pyramid, bins,
                branchChannels,
                globalBinBatchNorm, bottleneckChannels, bottleneckKernel, auxiliary, auxiliaryChannels,
                auxiliaryWeight, headKernel, alignCorners, loss);
    }
}
