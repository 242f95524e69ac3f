package io.segnet.models.encoder;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.segnet.core.layers.BatchNorm;
import io.segnet.core.layers.Conv2D;
import io.segnet.core.layers.FusedActivation;
import io.segnet.core.layers.MaxPool2D;
import io.segnet.models.ConfigChecks;
import io.segnet.models.graph.GraphScope;
import io.segnet.models.graph.Node;

import java.util.ArrayList;
import java.util.List;

/**
 * VGG16's convolutional part (Simonyan and Zisserman 2015; torchvision's {@code vgg16} / {@code vgg16_bn}
 * {@code features}): five blocks of 2, 2, 3, 3, 3 3x3 convolutions (with bias, padding 1, ReLU; batch norm after each
 * convolution with {@code batchNorm}) with {@code width x (1, 2, 4, 8, 8)} channels (64..512 by default), each block
 * followed by 2x2 max pooling. Used by FCN and SegNet.
 *
 * <p>Feature maps (FCN's naming): stride 1, the first block's output ({@code width} channels); strides 2, 4, 8, 16, 32,
 * the outputs of pool1..pool5 ({@code width x 1, 2, 4, 8, 8} channels). Pooling floors odd sizes.
 * Parameters at width 64: 14,714,688 (as torchvision's {@code vgg16().features}).
 *
 * @param width     channels of the first block (64 in VGG16); later blocks have 2x, 4x, 8x, 8x
 * @param batchNorm batch norm after every convolution (torchvision's {@code vgg16_bn}, SegNet)
 */
@JsonTypeName("vgg16")
public record Vgg16Config(int width, boolean batchNorm) implements EncoderConfig {

    /** Convolutions per block. */
    public static final List<Integer> BLOCK_CONVS = List.of(2, 2, 3, 3, 3);
    /** Channel multiple of each block relative to {@code width}. */
    public static final List<Integer> BLOCK_WIDTHS = List.of(1, 2, 4, 8, 8);

    public Vgg16Config {
        ConfigChecks.positive("Vgg16Config", "width", width);
    }

    /** VGG16 at full width (64), without batch norm. */
    public static Vgg16Config standard() {
        return new Vgg16Config(64, false);
    }

    @Override
    public int levels() {
        return 6;
    }

    @Override
    public int outputStride() {
        return 32;
    }

    @Override
    public boolean poolsOnly() {
        return true;
    }

    @Override
    public EncoderFeatures build(GraphScope scope, Node input, int levels) {
        checkLevels(levels);
        List<FeatureMap> maps = new ArrayList<>();
        List<PooledStage> stages = new ArrayList<>();
        Node x = input;
        for (int b = 1; b <= 5 && maps.size() < levels; b++) {
            GraphScope block = scope.scope("block", b);
            long in = x.channels(), out = (long) width * BLOCK_WIDTHS.get(b - 1);
            for (int c = 1; c <= BLOCK_CONVS.get(b - 1); c++) {
                x = conv(block.scope("conv", c), x, out);
            }
            if (b == 1) {
                maps.add(new FeatureMap(x, 1));
                if (maps.size() == levels) {
                    break;
                }
            }
            Node pool = block.layer("pool", new MaxPool2D(2, 2), x);
            stages.add(new PooledStage(BLOCK_CONVS.get(b - 1), in, out, pool.name(), x));
            maps.add(new FeatureMap(pool, 1 << b));
            x = pool;
        }
        return new EncoderFeatures(input, maps, stages);
    }

    /** torchvision's layout: the convolution keeps its bias even before batch norm. */
    private Node conv(GraphScope s, Node in, long out) {
        Conv2D conv = new Conv2D(in.channels(), out, 3).padding(1).bias(true);
        if (!batchNorm) {
            return s.layer("conv", conv.activation(FusedActivation.RELU), in);
        }
        return s.layer("bn", new BatchNorm(out).activation(FusedActivation.RELU), s.layer("conv", conv, in));
    }
}
