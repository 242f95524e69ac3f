package io.segnet.models.segnet;

import io.segnet.core.graph.MaxUnpool;
import io.segnet.core.layers.Conv2D;
import io.segnet.models.GraphAssembly;
import io.segnet.models.ModelGraph;
import io.segnet.models.Training;
import io.segnet.models.encoder.EncoderFeatures;
import io.segnet.models.encoder.PooledStage;
import io.segnet.models.graph.Blocks;
import io.segnet.models.graph.GraphScope;
import io.segnet.models.graph.Node;

import java.util.List;

/**
 * Builds SegNet graphs. The decoder mirrors the encoder's stages in reverse: for stage {@code k} (convolutions
 * {@code in_k -> out_k}, then pooling), {@code decoder.stage<k>} unpools through that stage's pooling layer
 * ({@code unpool}, max-unpooling with the recorded argmax positions, to the pooling layer's input size), then applies
 * as many 3x3 conv-BN-ReLU blocks ({@code conv1..}), all keeping {@code out_k} channels except the last, which goes to
 * {@code in_k}. In the first stage that last convolution is the classifier {@code head.classifier}, a 3x3 convolution
 * to {@code numClasses} channels (as the paper's Caffe model). Logits {@code [N, numClasses, H, W]}.
 */
public final class SegNet {
    private SegNet() {
    }

    /** The graph of {@code config}. */
    public static ModelGraph build(SegNetConfig config, Training training) {
        GraphAssembly g = GraphAssembly.start(config, training);
        EncoderFeatures f = config.encoder().build(g.root().scope("encoder"), g.input());
        List<PooledStage> stages = f.stages();
        Node x = f.deepest().node();
        GraphScope decoder = g.root().scope("decoder");
        for (int k = stages.size() - 1; k >= 0; k--) {
            PooledStage stage = stages.get(k);
            GraphScope s = decoder.scope("stage", k);
            if (stage.pooling() != null) {
                x = s.vertex("unpool", new MaxUnpool(stage.pooling(), stage.output().height(),
                        stage.output().width()), x);
            }
            int convs = k == 0 ? stage.convs() - 1 : stage.convs();
            for (int c = 1; c <= convs; c++) {
                long out = c == stage.convs() ? stage.inChannels() : stage.outChannels();
                x = Blocks.conv3x3(s.scope("conv", c), x, out, config.batchNorm());
            }
        }
        GraphScope head = g.root().scope("head");
        Node logits = head.layer("classifier", new Conv2D(x.channels(), config.numClasses(), 3).padding(1).bias(true),
                x);
        g.logits(head, logits, 1, 1.0);
        return g.build();
    }
}
