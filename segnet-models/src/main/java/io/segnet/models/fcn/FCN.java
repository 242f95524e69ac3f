package io.segnet.models.fcn;

import io.segnet.core.graph.MatchSize;
import io.segnet.core.layers.Conv2D;
import io.segnet.core.layers.FusedActivation;
import io.segnet.core.layers.TransposedConv2D;
import io.segnet.models.GraphAssembly;
import io.segnet.models.ModelGraph;
import io.segnet.models.Training;
import io.segnet.models.Upsampling;
import io.segnet.models.encoder.EncoderFeatures;
import io.segnet.models.encoder.FeatureMap;
import io.segnet.models.graph.Blocks;
import io.segnet.models.graph.GraphScope;
import io.segnet.models.graph.Node;

/**
 * Builds FCN graphs: {@code encoder.*}; {@code head.fc6}, {@code head.fc7}, {@code head.score}; per fused skip at
 * stride {@code s}, {@code fuse<s>.score} (1x1 on the skip map), {@code fuse<s>.up} (and {@code fuse<s>.crop} with
 * transposed convolutions) and {@code fuse<s>.sum}; then {@code output.up}/{@code output.crop} (transposed) or
 * {@code output.upsample} (bilinear) and {@code output.loss}. Logits {@code [N, numClasses, H, W]}.
 */
public final class FCN {
    private FCN() {
    }

    /** The graph of {@code config}. */
    public static ModelGraph build(FcnConfig config, Training training) {
        GraphAssembly g = GraphAssembly.start(config, training);
        EncoderFeatures f = config.encoder().build(g.root().scope("encoder"), g.input());
        FeatureMap top = f.deepest();
        GraphScope head = g.root().scope("head");
        Node x = head.layer("fc6", new Conv2D(top.channels(), config.fc6Channels(), config.fc6Kernel()).samePadding()
                .activation(FusedActivation.RELU), top.node());
        x = head.layer("fc7", new Conv2D(x.channels(), config.fc7Channels(), 1).activation(FusedActivation.RELU), x);
        Node score = head.layer("score", new Conv2D(x.channels(), config.numClasses(), 1), x);
        int stride = top.stride();
        for (int skipStride : config.variant().skipStrides()) {
            FeatureMap skip = f.firstAt(skipStride, config.variant().toString());
            GraphScope fuse = g.root().scope("fuse", skipStride);
            Node skipScore = fuse.layer("score", new Conv2D(skip.channels(), config.numClasses(), 1), skip.node());
            Node up = upsample(fuse, score, skipScore, stride / skipStride, config.upsampling());
            score = fuse.sum("sum", up, skipScore);
            stride = skipStride;
        }
        GraphScope output = g.root().scope("output");
        if (config.upsampling() == Upsampling.TRANSPOSED && stride > 1) {
            g.logits(output, upsample(output, score, g.input(), stride, Upsampling.TRANSPOSED), 1, 1.0);
        } else {
            g.logits(output, score, stride, 1.0);
        }
        return g.build();
    }

    /**
     * {@code x} upsampled {@code ratio} times to the size of {@code reference}: a bilinear-initialised transposed
     * convolution (kernel {@code 2 ratio}, stride {@code ratio}, no bias) cropped at offset {@code ratio / 2}, or a
     * bilinear resize.
     */
    private static Node upsample(GraphScope s, Node x, Node reference, int ratio, Upsampling mode) {
        if (mode == Upsampling.BILINEAR) {
            return Blocks.resizeTo(s, "up", x, reference);
        }
        Node up = s.layer("up", new TransposedConv2D(x.channels(), x.channels(), 2 * ratio, ratio).bias(false)
                .bilinearInit(true), x);
        return s.vertex("crop", MatchSize.atOffset(-ratio / 2, -ratio / 2), up, reference);
    }
}
