package io.segnet.models.deeplab;

import io.segnet.models.GraphAssembly;
import io.segnet.models.ModelGraph;
import io.segnet.models.Training;
import io.segnet.models.encoder.EncoderFeatures;
import io.segnet.models.encoder.FeatureMap;
import io.segnet.models.graph.Blocks;
import io.segnet.models.graph.GraphScope;
import io.segnet.models.graph.Node;

/**
 * Builds DeepLabv3+ graphs: {@code encoder.*}; {@code aspp.*} ({@link Aspp}) and, with {@code asppOutputConv},
 * {@code aspp.output.conv/bn}; {@code decoder.upsample} (ASPP output to the stride-4 size), {@code decoder.low.conv/bn}
 * (the 48-channel projection), {@code decoder.concat}, {@code decoder.fuse1} (and {@code decoder.fuse2});
 * {@code head.classifier}, {@code head.upsample}, {@code head.loss}. Without {@code decoder} (DeepLabv3) the head
 * classifies the ASPP output and no {@code decoder.*} exists.
 * Logits {@code [N, numClasses, H, W]}.
 */
public final class DeepLabV3Plus {
    private DeepLabV3Plus() {
    }

    /** The graph of {@code config}. */
    public static ModelGraph build(DeepLabV3PlusConfig config, Training training) {
        GraphAssembly g = GraphAssembly.start(config, training);
        EncoderFeatures f = config.encoder().build(g.root().scope("encoder"), g.input());
        FeatureMap high = f.deepest();
        FeatureMap low = f.firstAt(4, "DeepLabv3+'s decoder");
        GraphScope asppScope = g.root().scope("aspp");
        Node aspp = Aspp.build(asppScope, high.node(), config.asppChannels(), config.asppRates(), config.separable());
        if (config.asppOutputConv()) {
            GraphScope out = asppScope.scope("output");
            aspp = config.separable() ? Blocks.separableBnRelu(out, aspp, config.asppChannels(), 1, true)
                    : Blocks.convBnRelu(out, aspp, config.asppChannels(), 3, 1, 1, true);
        }
        GraphScope head = g.root().scope("head");
        if (!config.decoder()) {
            g.logits(head, Blocks.classifier(head, aspp, config.numClasses()), high.stride(), 1.0,
                    config.alignCorners());
            return g.build();
        }
        GraphScope decoder = g.root().scope("decoder");
        Node up = Blocks.resizeTo(decoder, "upsample", aspp, low.node(), config.alignCorners());
        Node projected = Blocks.convBnRelu(decoder.scope("low"), low.node(), config.lowLevelChannels(), 1, 1, 1, true);
        Node x = decoder.concat("concat", up, projected);
        for (int i = 1; i <= config.fuseConvs(); i++) {
            GraphScope fuse = decoder.scope("fuse", i);
            x = config.separable() ? Blocks.separableBnRelu(fuse, x, config.decoderChannels(), 1, true)
                    : Blocks.convBnRelu(fuse, x, config.decoderChannels(), 3, 1, 1, true);
        }
        g.logits(head, Blocks.classifier(head, x, config.numClasses()), low.stride(), 1.0, config.alignCorners());
        return g.build();
    }
}
