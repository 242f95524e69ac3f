package io.segnet.models.encoder;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.segnet.core.graph.AddRelu;
import io.segnet.core.layers.BatchNorm;
import io.segnet.core.layers.Conv2D;
import io.segnet.core.layers.MaxPool2D;
import io.segnet.models.ConfigChecks;
import io.segnet.models.graph.Blocks;
import io.segnet.models.graph.GraphScope;
import io.segnet.models.graph.Node;

import java.util.ArrayList;
import java.util.List;

/**
 * ResNet-18, -34 or -50 (He et al. 2016), torchvision's layout without the classifier: a 7x7 stride-2 stem
 * convolution ({@code width} channels) with BN and ReLU, 3x3 stride-2 max pooling (padding 1), then four stages
 * ({@code layer1..layer4}) of basic blocks (18: 2-2-2-2, 34: 3-4-6-3) or bottleneck blocks (50: 3-4-6-3, expansion 4,
 * stride on the 3x3 convolution as in torchvision), with {@code width x (1, 2, 4, 8)} planes. Projection shortcuts
 * (1x1 convolution + BN) where the shape changes.
 *
 * <p>{@code outputStride} 16 or 8 replaces the stride of {@code layer4} (and {@code layer3}) by dilation 2 (and 4),
 * as torchvision's {@code replace_stride_with_dilation}; {@link Dilation} says whether the first block of a dilated
 * stage keeps the previous rate (torchvision) or every 3x3 convolution of the stage uses the new one.
 *
 * <p>Feature maps: the input (stride 1), the stem's ReLU output (stride 2, {@code width} channels), and the outputs of
 * layer1..layer4 (strides 4, 8, 16, 32 before dilation; channels {@code width x (1, 2, 4, 8) x expansion}).
 * Parameters at width 64: 11,176,512 (18), 21,284,672 (34), 23,508,032 (50), as torchvision without {@code fc}.
 *
 * @param depth        18, 34 or 50
 * @param outputStride 32 (no dilation), 16 (layer4 dilated) or 8 (layer3 and layer4 dilated)
 * @param width        stem channels and planes of layer1 (64 in ResNet)
 * @param dilation     rate of the first block of a dilated stage
 */
@JsonTypeName("resnet")
public record ResNetConfig(int depth, int outputStride, int width, Dilation dilation) implements EncoderConfig {

    /** Where a dilated stage's first block takes its rate from. */
    public enum Dilation {
        /**
         * torchvision's {@code replace_stride_with_dilation}: the first block of a dilated stage uses the previous
         * stage's rate, the others the new rate.
         */
        TORCHVISION,
        /**
         * Every 3x3 convolution of a dilated stage uses the stage's rate (segmentation_models_pytorch's
         * {@code make_dilated}; the benchmark's DeepLabv3+ reference).
         */
        UNIFORM
    }

    public ResNetConfig {
        ConfigChecks.oneOf("ResNetConfig", "depth", depth, List.of(18, 34, 50));
        ConfigChecks.oneOf("ResNetConfig", "outputStride", outputStride, List.of(32, 16, 8));
        ConfigChecks.positive("ResNetConfig", "width", width);
        dilation = dilation == null ? Dilation.TORCHVISION : dilation;
    }

    /** ResNet-{@code depth} at full width with torchvision's dilation rule. */
    public static ResNetConfig of(int depth, int outputStride) {
        return new ResNetConfig(depth, outputStride, 64, Dilation.TORCHVISION);
    }

    /** Blocks per stage. */
    public List<Integer> blocks() {
        return depth == 18 ? List.of(2, 2, 2, 2) : List.of(3, 4, 6, 3);
    }

    /** True for the bottleneck design (ResNet-50). */
    public boolean bottleneck() {
        return depth == 50;
    }

    private int expansion() {
        return bottleneck() ? 4 : 1;
    }

    @Override
    public int levels() {
        return 6;
    }

    @Override
    public boolean poolsOnly() {
        return false;
    }

    @Override
    public EncoderFeatures build(GraphScope scope, Node input, int levels) {
        checkLevels(levels);
        List<FeatureMap> maps = new ArrayList<>();
        maps.add(new FeatureMap(input, 1));
        if (levels == 1) {
            return new EncoderFeatures(input, maps, List.of());
        }
        GraphScope stem = scope.scope("stem");
        Node x = Blocks.convBnRelu(stem, input, width, 7, 2, 1, true);
        maps.add(new FeatureMap(x, 2));
        x = stem.layer("pool", new MaxPool2D(3, 2).padding(1), x);
        int stride = 4, rate = 1;
        for (int l = 1; l <= 4 && maps.size() < levels; l++) {
            int s = l == 1 ? 1 : 2;
            int previousRate = rate;
            boolean dilate = l == 4 && outputStride <= 16 || l == 3 && outputStride == 8;
            if (dilate) {
                rate *= s;
                s = 1;
            } else {
                stride *= s;
            }
            GraphScope layer = scope.scope("layer", l);
            long planes = (long) width << (l - 1);
            for (int b = 0; b < blocks().get(l - 1); b++) {
                int r = b == 0 && dilation == Dilation.TORCHVISION ? previousRate : rate;
                x = block(layer.scope("block", b), x, planes, b == 0 ? s : 1, r);
            }
            maps.add(new FeatureMap(x, stride));
        }
        return new EncoderFeatures(input, maps, List.of());
    }

    private Node block(GraphScope s, Node x, long planes, int stride, int rate) {
        long out = planes * expansion();
        Node y;
        if (bottleneck()) {
            y = Blocks.convBnRelu(s.scope("conv1"), x, planes, 1, 1, 1, true);
            y = Blocks.convBnRelu(s.scope("conv2"), y, planes, 3, stride, rate, true);
            y = Blocks.convBn(s.scope("conv3"), y, out, 1, 1, 1);
        } else {
            y = Blocks.convBnRelu(s.scope("conv1"), x, planes, 3, stride, rate, true);
            y = Blocks.convBn(s.scope("conv2"), y, out, 3, 1, rate);
        }
        Node shortcut = x;
        if (stride != 1 || x.channels() != out) {
            GraphScope down = s.scope("downsample");
            Node c = down.layer("conv", new Conv2D(x.channels(), out, 1).stride(stride).bias(false), x);
            shortcut = down.layer("bn", new BatchNorm(out), c);
        }
        return s.vertex("out", new AddRelu(), y, shortcut);
    }
}
