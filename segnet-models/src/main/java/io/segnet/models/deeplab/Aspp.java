package io.segnet.models.deeplab;

import io.segnet.core.layers.AdaptiveAvgPool2D;
import io.segnet.models.graph.Blocks;
import io.segnet.models.graph.GraphScope;
import io.segnet.models.graph.Node;

import java.util.ArrayList;
import java.util.List;

/**
 * Atrous spatial pyramid pooling (DeepLabv3, Chen et al. 2017), torchvision's {@code ASPP}: on {@code x
 * [N, C, h, w]}, {@code branch0} a 1x1 conv-BN-ReLU, {@code branch1..} one 3x3 atrous conv-BN-ReLU per rate (or a
 * separable one), {@code pooling} global average pooling, 1x1 conv-BN-ReLU and a bilinear resize back to
 * {@code h x w}; {@code concat}, then {@code project} a 1x1 conv-BN-ReLU. Output {@code [N, channels, h, w]}.
 */
public final class Aspp {
    private Aspp() {
    }

    /** Adds ASPP on {@code x} under {@code s}. */
    public static Node build(GraphScope s, Node x, long channels, List<Integer> rates, boolean separable) {
        List<Node> branches = new ArrayList<>();
        branches.add(Blocks.convBnRelu(s.scope("branch", 0), x, channels, 1, 1, 1, true));
        for (int i = 0; i < rates.size(); i++) {
            GraphScope b = s.scope("branch", i + 1);
            branches.add(separable ? Blocks.separableBnRelu(b, x, channels, rates.get(i), true)
                    : Blocks.convBnRelu(b, x, channels, 3, 1, rates.get(i), true));
        }
        GraphScope p = s.scope("pooling");
        Node pooled = p.layer("pool", new AdaptiveAvgPool2D(1), x);
        Node projected = Blocks.convBnRelu(p, pooled, channels, 1, 1, 1, true);
        branches.add(Blocks.resizeTo(p, "upsample", projected, x));
        Node cat = s.concat("concat", branches.toArray(Node[]::new));
        return Blocks.convBnRelu(s.scope("project"), cat, channels, 1, 1, 1, true);
    }
}
