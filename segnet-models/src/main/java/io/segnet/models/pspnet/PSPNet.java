package io.segnet.models.pspnet;

import io.segnet.core.layers.AdaptiveAvgPool2D;
import io.segnet.models.GraphAssembly;
import io.segnet.models.ModelGraph;
import io.segnet.models.Training;
import io.segnet.models.encoder.EncoderFeatures;
import io.segnet.models.encoder.FeatureMap;
import io.segnet.models.graph.Blocks;
import io.segnet.models.graph.GraphScope;
import io.segnet.models.graph.Node;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds PSPNet graphs: {@code encoder.*} (its first {@code encoderDepth} stages);
 * {@code ppm.bin<b>.pool/conv/bn/upsample} per bin ({@code bn} left out of the 1x1 bin without
 * {@code globalBinBatchNorm}) and {@code ppm.concat} (the map, then the bins), none without {@code pyramid};
 * {@code head.bottleneck.conv/bn}, {@code head.classifier}, {@code head.upsample}, {@code head.loss}; and with the
 * auxiliary head {@code aux.conv.conv/bn}, {@code aux.classifier}, {@code aux.upsample}, {@code aux.loss}.
 * Logits {@code [N, numClasses, H, W]} come from the main head.
 */
public final class PSPNet {
    private PSPNet() {
    }

    /** The pyramid pooling module on {@code top}: the map and its bins, concatenated. */
    private static Node pyramid(PSPNetConfig config, FeatureMap top, GraphScope ppm) {
        long branch = config.branchChannels() > 0 ? config.branchChannels()
                : Math.max(1, top.channels() / config.bins().size());
        List<Node> parts = new ArrayList<>();
        parts.add(top.node());
        for (int bins : config.bins()) {
            GraphScope b = ppm.scope("bin", bins);
            Node pooled = b.layer("pool", new AdaptiveAvgPool2D(bins), top.node());
            Node projected = Blocks.convBnRelu(b, pooled, branch, 1, 1, 1, bins > 1 || config.globalBinBatchNorm());
            parts.add(Blocks.resizeTo(b, "upsample", projected, top.node(), config.alignCorners()));
        }
        return ppm.concat("concat", parts.toArray(Node[]::new));
    }

    /** The graph of {@code config}. */
    public static ModelGraph build(PSPNetConfig config, Training training) {
        GraphAssembly g = GraphAssembly.start(config, training);
        EncoderFeatures f = config.encoder().build(g.root().scope("encoder"), g.input(), config.builtLevels());
        FeatureMap top = f.deepest();
        Node pyramid = config.pyramid() ? pyramid(config, top, g.root().scope("ppm")) : top.node();
        GraphScope head = g.root().scope("head");
        Node x = Blocks.convBnRelu(head.scope("bottleneck"), pyramid, config.bottleneckChannels(),
                config.bottleneckKernel(), 1, 1, true);
        g.logits(head, Blocks.classifier(head, x, config.numClasses(), config.headKernel()), top.stride(), 1.0,
                config.alignCorners());
        if (config.auxiliary()) {
            FeatureMap stage3 = f.get(f.size() - 2);
            GraphScope aux = g.root().scope("aux");
            Node a = Blocks.convBnRelu(aux.scope("conv"), stage3.node(), config.auxiliaryChannels(), 3, 1, 1, true);
            g.auxiliary(aux, Blocks.classifier(aux, a, config.numClasses(), config.headKernel()), stage3.stride(),
                    config.auxiliaryWeight());
        }
        return g.build();
    }
}
