package io.segnet.models.encoder;

import io.segnet.models.graph.Node;

/**
 * A stage of an encoder that downsamples only by max pooling (VGG, the small encoder): {@code convs} 3x3 convolutions
 * from {@code inChannels} to {@code outChannels}, then the pooling layer {@code pooling} (or none, for a last stage
 * that is not pooled). SegNet's decoder mirrors these stages in reverse, unpooling through each {@code pooling}.
 *
 * @param convs       number of convolutions in the stage
 * @param inChannels  channels entering the stage
 * @param outChannels channels leaving the stage (and its pooling)
 * @param pooling     name of the {@code MaxPool2D} layer after the stage, or {@code null}
 * @param output      the stage's last convolution output: what {@code pooling} reads (and SegNet's unpooling restores)
 */
public record PooledStage(int convs, long inChannels, long outChannels, String pooling, Node output) {

    public PooledStage {
        if (convs < 1 || inChannels < 1 || outChannels < 1) {
            throw new IllegalArgumentException("PooledStage: convs and channels must be >= 1, got " + convs + ", "
                    + inChannels + ", " + outChannels);
        }
        if (output == null) {
            throw new IllegalArgumentException("PooledStage: the stage's output node is required");
        }
    }
}
