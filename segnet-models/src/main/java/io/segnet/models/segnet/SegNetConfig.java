package io.segnet.models.segnet;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.segnet.models.ConfigChecks;
import io.segnet.models.InputSizeRule;
import io.segnet.models.LossConfig;
import io.segnet.models.ModelConfig;
import io.segnet.models.ModelGraph;
import io.segnet.models.Training;
import io.segnet.models.encoder.EncoderConfig;
import io.segnet.models.encoder.Vgg16Config;

/**
 * SegNet's configuration ({@code "type": "segnet"}): the paper's model is {@link #standard} (VGG16 with batch norm).
 * The encoder must downsample only by max pooling ({@code vgg16} or {@code small}). Any input size of at least the
 * encoder's output stride is accepted: unpooling restores each pooling layer's exact input size.
 *
 * @param inChannels  image channels
 * @param numClasses  classes
 * @param inputHeight build height
 * @param inputWidth  build width
 * @param encoder     a pooling-only encoder
 * @param batchNorm   conv-BN-ReLU in the decoder (the paper's)
 * @param loss        training loss
 */
@JsonTypeName("segnet")
public record SegNetConfig(int inChannels, int numClasses, int inputHeight, int inputWidth, EncoderConfig encoder,
                           boolean batchNorm, LossConfig loss) implements ModelConfig {

    public SegNetConfig {
        ConfigChecks.required("SegNetConfig", "encoder", encoder, "SegNet's is {\"type\": \"vgg16\", \"width\": 64,"
                + " \"batchNorm\": true}");
        if (!encoder.poolsOnly()) {
            throw new IllegalArgumentException("SegNetConfig: SegNet unpools through the encoder's max-pooling indices,"
                    + " but the " + encoder.typeName() + " encoder downsamples with strided convolutions; use a"
                    + " \"vgg16\" or \"small\" encoder");
        }
        loss = ConfigChecks.modelFields("SegNetConfig", inChannels, numClasses, inputHeight, inputWidth, loss,
                InputSizeRule.atLeastStride(encoder));
    }

    /** SegNet as published: VGG16 with batch norm, mirrored decoder with batch norm, cross-entropy. */
    public static SegNetConfig standard(int inChannels, int numClasses, int height, int width) {
        return new SegNetConfig(inChannels, numClasses, height, width, new Vgg16Config(64, true), true,
                LossConfig.crossEntropy());
    }

    @Override
    public InputSizeRule inputSizeRule() {
        return InputSizeRule.atLeastStride(encoder);
    }

    @Override
    public ModelGraph buildGraph(Training training) {
        return SegNet.build(this, training);
    }

    @Override
    public SegNetConfig withInputSize(int height, int width) {
        return new SegNetConfig(inChannels, numClasses, height, width, encoder, batchNorm, loss);
    }

    /** This config with another (pooling-only) encoder. */
    public SegNetConfig withEncoder(EncoderConfig e) {
        return new SegNetConfig(inChannels, numClasses, inputHeight, inputWidth, e, batchNorm, loss);
    }
}
