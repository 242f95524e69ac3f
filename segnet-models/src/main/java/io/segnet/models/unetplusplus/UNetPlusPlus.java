package io.segnet.models.unetplusplus;

import io.segnet.models.GraphAssembly;
import io.segnet.models.ModelGraph;
import io.segnet.models.SegmentationModel;
import io.segnet.models.SegmentationModels;
import io.segnet.models.Training;
import io.segnet.models.encoder.EncoderFeatures;
import io.segnet.models.graph.Blocks;
import io.segnet.models.graph.GraphScope;
import io.segnet.models.graph.Node;
import io.segnet.models.unet.UNetDecoder;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds UNet++ graphs: {@code encoder.*}; nodes {@code decoder.x<i>_<j>} (upsampling {@code up}, {@code concat},
 * double convolution {@code conv1}, {@code conv2}), laid out as the config's
 * {@link UNetPlusPlusConfig.NodeLayout}; heads {@code head<j>.classifier} and {@code head<j>.loss} on
 * {@code X(0, j)}. Output logits {@code [N, numClasses, H, W]}: the mean of the heads.
 */
public final class UNetPlusPlus {
    private UNetPlusPlus() {
    }

    /** The graph of {@code config} (pruned if its {@code inferenceDepth} is set). */
    public static ModelGraph build(UNetPlusPlusConfig config, Training training) {
        GraphAssembly g = GraphAssembly.start(config, training);
        int depth = config.builtDepth();
        EncoderFeatures f = config.encoder().build(g.root().scope("encoder"), g.input(), depth + 1);
        List<Long> widths = UNetDecoder.widths(f, config.decoderChannels());
        Node[][] x = new Node[depth + 1][depth + 1];
        for (int i = 0; i <= depth; i++) {
            x[i][0] = f.get(i).node();
        }
        GraphScope decoder = g.root().scope("decoder");
        boolean smp = config.nodeLayout() == UNetPlusPlusConfig.NodeLayout.SMP;
        for (int j = 1; j <= depth; j++) {
            for (int i = 0; i + j <= depth; i++) {
                boolean last = i + j == depth;
                if (smp && f.isInput(f.get(i)) && !last) {
                    continue; // smp: a level without encoder features has only its last node
                }
                long width = smp && !last ? f.get(i).channels() : widths.get(i);
                GraphScope node = decoder.scope("x" + i + "_" + j);
                int ratio = f.get(i + 1).stride() / f.get(i).stride();
                Node up = UNetDecoder.upsample(node, x[i + 1][j - 1], x[i][0], ratio, width, config.upsampling());
                List<Node> in = new ArrayList<>();
                int first = f.isInput(f.get(i)) ? 1 : 0;
                if (smp) {
                    in.add(up);
                    for (int k = j - 1; k >= first && x[i][k] != null; k--) {
                        in.add(x[i][k]);
                    }
                } else {
                    for (int k = first; k < j; k++) {
                        in.add(x[i][k]);
                    }
                    in.add(up);
                }
                Node cat = in.size() == 1 ? up : node.concat("concat", in.toArray(Node[]::new));
                x[i][j] = Blocks.doubleConv(node, cat, width, config.batchNorm());
            }
        }
        boolean allHeads = config.deepSupervision() && config.inferenceDepth() == 0;
        for (int j = allHeads ? 1 : depth; j <= depth; j++) {
            GraphScope head = g.root().scope("head", j);
            g.logits(head, Blocks.classifier(head, x[0][j], config.numClasses(), config.headKernel()), 1,
                    allHeads ? 1.0 / depth : 1.0);
        }
        return g.build();
    }

    /**
     * The pruned network of depth {@code depth} with the weights of {@code model} (a UNet++ trained with deep
     * supervision): the paper's fast inference mode, whose logits are those of head {@code depth}.
     *
     * @throws IllegalArgumentException if {@code model} is not a deep-supervised UNet++ or the depth is out of range
     */
    public static SegmentationModel prune(SegmentationModel model, int depth) {
        if (!(model.config() instanceof UNetPlusPlusConfig c)) {
            throw new IllegalArgumentException("prune needs a UNet++ model, got a " + model.config().typeName());
        }
        if (c.inferenceDepth() != 0) {
            throw new IllegalArgumentException("prune needs the full UNet++ network; this one is already pruned to "
                    + c.inferenceDepth());
        }
        UNetPlusPlusConfig pruned = c.withInferenceDepth(depth);
        SegmentationModel out = SegmentationModels.create(pruned, Training.defaults().withSeed(model.card().seed()));
        out.copyParametersFrom(model);
        return out.setCard(model.card());
    }
}
