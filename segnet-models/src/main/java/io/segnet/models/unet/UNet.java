package io.segnet.models.unet;

import io.segnet.models.GraphAssembly;
import io.segnet.models.ModelGraph;
import io.segnet.models.Training;
import io.segnet.models.encoder.EncoderFeatures;
import io.segnet.models.encoder.FeatureMap;
import io.segnet.models.graph.Blocks;
import io.segnet.models.graph.GraphScope;
import io.segnet.models.graph.Node;

import java.util.List;

/**
 * Builds U-Net graphs: {@code encoder.*}, then for each level {@code l} from the second-deepest to stride 1 a
 * {@code decoder.block<l>} of upsampling ({@code up}), concatenation with encoder map {@code l} ({@code concat},
 * upsampled map first) and a double convolution ({@code conv1}, {@code conv2}), then {@code head.classifier} (1x1,
 * {@code numClasses}; 3x3 with {@code headKernel} 3) and {@code head.loss}. Output: logits {@code [N, numClasses, H, W]}
 * at the input size.
 */
public final class UNet {
    private UNet() {
    }

    /** The graph of {@code config}. */
    public static ModelGraph build(UNetConfig config, Training training) {
        GraphAssembly g = GraphAssembly.start(config, training);
        EncoderFeatures f = config.encoder().build(g.root().scope("encoder"), g.input());
        List<Long> widths = UNetDecoder.widths(f, config.decoderChannels());
        GraphScope decoder = g.root().scope("decoder");
        Node x = f.deepest().node();
        for (int l = f.size() - 2; l >= 0; l--) {
            FeatureMap skip = f.get(l);
            GraphScope block = decoder.scope("block", l);
            int ratio = f.get(l + 1).stride() / skip.stride();
            x = UNetDecoder.upsample(block, x, skip.node(), ratio, widths.get(l), config.upsampling());
            Node in = f.isInput(skip) ? x : block.concat("concat", x, skip.node());
            x = Blocks.doubleConv(block, in, widths.get(l), config.batchNorm());
        }
        GraphScope head = g.root().scope("head");
        g.logits(head, Blocks.classifier(head, x, config.numClasses(), config.headKernel()), 1, 1.0);
        return g.build();
    }
}
