package io.segnet.models.unet;

import io.segnet.core.graph.NearestResize;
import io.segnet.core.layers.TransposedConv2D;
import io.segnet.models.Upsampling;
import io.segnet.models.encoder.EncoderFeatures;
import io.segnet.models.graph.Blocks;
import io.segnet.models.graph.GraphScope;
import io.segnet.models.graph.Node;

import java.util.ArrayList;
import java.util.List;

/**
 * Pieces shared by U-Net and UNet++: the decoder width of each level and the upsampling step.
 *
 * <p>Decoder width of level {@code l} (stride of encoder map {@code l}): the given {@code decoderChannels[l]}, or by
 * default the channels of encoder map {@code l} (the classic symmetric U-Net), or half the channels of map
 * {@code l + 1} where map {@code l} is the raw input (ResNet encoders), which is never used as a skip connection.
 */
public final class UNetDecoder {
    private UNetDecoder() {
    }

    /**
     * Decoder widths of levels {@code 0 .. features.size() - 2}.
     *
     * @param decoderChannels explicit widths (finest level first) or empty for the default rule; may be longer than
     *                        needed (a pruned model uses its first entries)
     */
    public static List<Long> widths(EncoderFeatures features, List<Integer> decoderChannels) {
        List<Long> w = new ArrayList<>();
        for (int l = 0; l < features.size() - 1; l++) {
            if (!decoderChannels.isEmpty()) {
                w.add((long) decoderChannels.get(l));
            } else if (features.isInput(features.get(l))) {
                w.add(Math.max(1, features.get(l + 1).channels() / 2));
            } else {
                w.add(features.get(l).channels());
            }
        }
        return w;
    }

    /**
     * Brings {@code x} to the size of {@code skip} ({@code ratio} times larger): a transposed convolution with kernel
     * and stride {@code ratio} to {@code width} channels (named {@code up}), or a bilinear or nearest-neighbour resize
     * keeping x's channels; a ratio of 1 (a dilated stage) returns x unchanged.
     */
    public static Node upsample(GraphScope s, Node x, Node skip, int ratio, long width, Upsampling mode) {
        if (ratio == 1) {
            return x;
        }
        return switch (mode) {
            case TRANSPOSED -> s.layer("up", new TransposedConv2D(x.channels(), width, ratio, ratio).bias(true), x);
            case BILINEAR -> Blocks.resizeTo(s, "up", x, skip);
            case NEAREST -> s.vertex("up", NearestResize.toReference(), x, skip);
        };
    }
}
