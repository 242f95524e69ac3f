package io.segnet.models.unetplusplus;

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
import io.segnet.models.unet.UNetConfig;

import java.util.List;

/**
 * UNet++'s configuration ({@code "type": "unetplusplus"}).
 *
 * <p>With {@code L = encoder levels - 1}, node {@code X(i, j)} (level i, column {@code j >= 1}, {@code i + j <= L}) is a double
 * convolution over the concatenation of {@code X(i, 0..j-1)} (X(i, 0) being encoder map i, left out where that is
 * the raw input) and the upsampled {@code X(i+1, j-1)}; its width is the decoder width of level i (U-Net's rule). With
 * {@code deepSupervision}, every {@code X(0, j)} has a 1x1 classifier and its own loss (weight 1/L each, so the total
 * is the mean of the L losses) and the model's logits are the mean of the L heads ("accurate mode"); without, only
 * {@code X(0, L)} is classified. {@code inferenceDepth = p} ({@code 1 <= p < L}, needs deep supervision) builds the pruned
 * network of the paper's "fast mode": encoder levels 0..p, nodes with {@code i + j <= p}, and the head of {@code X(0, p)}
 * alone; its vertex names equal the full network's, so {@link UNetPlusPlus#prune} copies trained weights into it.
 *
 * <p>{@link NodeLayout#SMP} lays the nodes out as segmentation_models_pytorch's {@code UnetPlusPlusDecoder} does
 * (see there); {@link #smp} is smp's {@code UnetPlusPlus} on a ResNet, whose state_dict imports whole
 * ({@link io.segnet.models.weights.SmpWeights}).
 *
 * <p>Accepted input sizes: as U-Net (multiples of the output stride with transposed convolutions, any size at least
 * the output stride with bilinear or nearest-neighbour upsampling).
 *
 * @param inChannels      image channels
 * @param numClasses      classes
 * @param inputHeight     build height
 * @param inputWidth      build width
 * @param encoder         the encoder
 * @param upsampling      upsampling between levels (default {@link Upsampling#TRANSPOSED})
 * @param batchNorm       conv-BN-ReLU in the decoder nodes
 * @param deepSupervision a head and a loss on every full-resolution node; logits averaged
 * @param inferenceDepth  0 for the full network, or the pruned depth p
 * @param decoderChannels width per level, finest first, or empty for the default
 * @param nodeLayout      {@link NodeLayout#PAPER} (default) or {@link NodeLayout#SMP}
 * @param headKernel      kernel of the classifiers: 1 (default) or 3 (smp's {@code SegmentationHead}); 0 reads as 1
 * @param loss            training loss of every head
 */
@JsonTypeName("unetplusplus")
public record UNetPlusPlusConfig(int inChannels, int numClasses, int inputHeight, int inputWidth,
                                 EncoderConfig encoder, Upsampling upsampling, boolean batchNorm,
                                 boolean deepSupervision, int inferenceDepth, List<Integer> decoderChannels,
                                 NodeLayout nodeLayout, int headKernel, LossConfig loss) implements ModelConfig {

    /** Which nodes the nested decoder has, their widths and the order of their concatenations. */
    public enum NodeLayout {
        /**
         * The paper's: node X(i, j) for every {@code i + j <= L}, all nodes of level i with that level's decoder
         * width, concatenating X(i, 0..j-1) and then the upsampled X(i+1, j-1).
         */
        PAPER,
        /**
         * segmentation_models_pytorch's {@code UnetPlusPlusDecoder}: the last node of each level ({@code i + j = L})
         * has the level's decoder width and the others the channels of encoder map i; a level whose encoder map is
         * the raw input (ResNet's stride 1) has only its last node X(0, L), fed by the upsampled X(1, L - 1) alone;
         * a node concatenates the upsampled X(i+1, j-1) first, then X(i, j-1) down to X(i, 0). One full-resolution
         * node, so no deep supervision; needs a ResNet encoder.
         */
        SMP
    }

    @JsonCreator
    public UNetPlusPlusConfig {
        String r = "UNetPlusPlusConfig";
        ConfigChecks.required(r, "encoder", encoder, "e.g. {\"type\": \"small\", \"width\": 32, \"depth\": 4,"
                + " \"batchNorm\": true}");
        upsampling = upsampling == null ? Upsampling.TRANSPOSED : upsampling;
        nodeLayout = nodeLayout == null ? NodeLayout.PAPER : nodeLayout;
        headKernel = ConfigChecks.headKernel(r, headKernel);
        if (nodeLayout == NodeLayout.SMP && deepSupervision) {
            throw new IllegalArgumentException(r + ": nodeLayout SMP has one full-resolution node, so no deep"
                    + " supervision; set deepSupervision to false or use nodeLayout PAPER");
        }
        if (nodeLayout == NodeLayout.SMP && !(encoder instanceof ResNetConfig)) {
            throw new IllegalArgumentException(r + ": nodeLayout SMP is smp's decoder on an encoder whose finest map is"
                    + " the input (\"resnet\"); the " + encoder.typeName() + " encoder computes one, use nodeLayout"
                    + " PAPER");
        }
        int depth = encoder.levels() - 1;
        if (inferenceDepth < 0 || inferenceDepth > depth) {
            throw new IllegalArgumentException(r + ": inferenceDepth must be 0 (the full network) or 1 to " + depth
                    + " (the encoder's depth), got " + inferenceDepth);
        }
        if (inferenceDepth == depth) {
            inferenceDepth = 0;
        }
        if (inferenceDepth > 0 && !deepSupervision) {
            throw new IllegalArgumentException(r + ": pruning to inferenceDepth " + inferenceDepth + " needs"
                    + " deepSupervision = true; without it only X(0, " + depth + ") has a trained classifier");
        }
        decoderChannels = ConfigChecks.positives(r, "decoderChannels", decoderChannels);
        if (!decoderChannels.isEmpty() && decoderChannels.size() != depth) {
            throw new IllegalArgumentException(r + ": decoderChannels has " + decoderChannels.size() + " entries, the "
                    + encoder.typeName() + " encoder has " + depth + " decoder levels; give that many (finest first)"
                    + " or none");
        }
        loss = ConfigChecks.modelFields(r, inChannels, numClasses, inputHeight, inputWidth, loss,
                InputSizeRule.forUpsampling("UNet++", encoder, upsampling));
    }

    /** A UNet++ of the paper's layout with 1x1 classifiers (the config before {@code nodeLayout} existed). */
    public UNetPlusPlusConfig(int inChannels, int numClasses, int inputHeight, int inputWidth, EncoderConfig encoder,
                              Upsampling upsampling, boolean batchNorm, boolean deepSupervision, int inferenceDepth,
                              List<Integer> decoderChannels, LossConfig loss) {
        this(inChannels, numClasses, inputHeight, inputWidth, encoder, upsampling, batchNorm, deepSupervision,
                inferenceDepth, decoderChannels, NodeLayout.PAPER, 1, loss);
    }

    /**
     * segmentation_models_pytorch's {@code UnetPlusPlus(encoder_name="resnet<depth>")} with its defaults: the ResNet
     * at output stride 32, batch norm, nearest-neighbour upsampling, {@link NodeLayout#SMP}, decoder widths
     * {@link UNetConfig#SMP_DECODER_CHANNELS}, one 3x3 head, cross-entropy.
     */
    public static UNetPlusPlusConfig smp(int inChannels, int numClasses, int height, int width, ResNetConfig encoder) {
        return new UNetPlusPlusConfig(inChannels, numClasses, height, width, encoder, Upsampling.NEAREST, true, false,
                0, UNetConfig.SMP_DECODER_CHANNELS, NodeLayout.SMP, 3, LossConfig.crossEntropy());
    }

    /**
     * UNet++ on the small encoder ({@code baseWidth}, {@code depth} poolings, batch norm), transposed-convolution
     * upsampling, deep supervision.
     */
    public static UNetPlusPlusConfig of(int inChannels, int numClasses, int height, int width, int baseWidth,
                                        int depth) {
        return new UNetPlusPlusConfig(inChannels, numClasses, height, width,
                new SmallEncoderConfig(baseWidth, depth, true), Upsampling.TRANSPOSED, true, true, 0, List.of(),
                LossConfig.crossEntropy());
    }

    /** The depth of the network this config builds (the pruned depth, or the encoder's). */
    public int builtDepth() {
        return inferenceDepth > 0 ? inferenceDepth : encoder.levels() - 1;
    }

    @Override
    public InputSizeRule inputSizeRule() {
        return InputSizeRule.forUpsampling("UNet++", encoder, upsampling);
    }

    @Override
    public ModelGraph buildGraph(Training training) {
        return UNetPlusPlus.build(this, training);
    }

    @Override
    public UNetPlusPlusConfig withInputSize(int height, int width) {
        return new UNetPlusPlusConfig(inChannels, numClasses, height, width, encoder, upsampling, batchNorm,
                deepSupervision, inferenceDepth, decoderChannels, nodeLayout, headKernel, loss);
    }

    /** This config pruned to depth {@code depth} (0: the full network). */
    public UNetPlusPlusConfig withInferenceDepth(int depth) {
        return new UNetPlusPlusConfig(inChannels, numClasses, inputHeight, inputWidth, encoder, upsampling, batchNorm,
                deepSupervision, depth, decoderChannels, nodeLayout, headKernel, loss);
    }

    /** This config with another upsampling mode. */
    public UNetPlusPlusConfig withUpsampling(Upsampling mode) {
        return new UNetPlusPlusConfig(inChannels, numClasses, inputHeight, inputWidth, encoder, mode, batchNorm,
                deepSupervision, inferenceDepth, decoderChannels, nodeLayout, headKernel, loss);
    }

    /** This config with another encoder (decoder widths reset to the default rule, no pruning). */
    public UNetPlusPlusConfig withEncoder(EncoderConfig e) {
        return new UNetPlusPlusConfig(inChannels, numClasses, inputHeight, inputWidth, e, upsampling, batchNorm,
                deepSupervision, 0, List.of(), nodeLayout, headKernel, loss);
    }
}
