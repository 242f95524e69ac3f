package io.segnet.models.encoder;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.segnet.core.layers.MaxPool2D;
import io.segnet.models.ConfigChecks;
import io.segnet.models.graph.Blocks;
import io.segnet.models.graph.GraphScope;
import io.segnet.models.graph.Node;

import java.util.ArrayList;
import java.util.List;

/**
 * A small encoder for CPU work, U-Net's contracting path (Ronneberger et al. 2015): a double 3x3 convolution with
 * {@code width} channels at full resolution, then {@code depth} stages of 2x2 max pooling and a double convolution
 * that doubles the channels ({@code width x 2^i} at stride {@code 2^i}). Each convolution is conv-BN-ReLU with
 * {@code batchNorm}, else a biased conv with ReLU; padding keeps the size.
 *
 * <p>Feature maps: one per stage, stride {@code 2^i}, {@code width x 2^i} channels, i = 0..depth.
 *
 * @param width     channels of the first stage (U-Net: 64; the benchmark's U-Net: 16)
 * @param depth     number of poolings (U-Net: 4); output stride {@code 2^depth}
 * @param batchNorm conv-BN-ReLU rather than conv-ReLU
 */
@JsonTypeName("small")
public record SmallEncoderConfig(int width, int depth, boolean batchNorm) implements EncoderConfig {

    public SmallEncoderConfig {
        ConfigChecks.positive("SmallEncoderConfig", "width", width);
        if (depth < 1 || depth > 8) {
            throw new IllegalArgumentException("SmallEncoderConfig: depth (number of poolings) must be 1 to 8, got "
                    + depth);
        }
    }

    @Override
    public int levels() {
        return depth + 1;
    }

    @Override
    public int outputStride() {
        return 1 << depth;
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
        Node x = Blocks.doubleConv(scope.scope("stage", 0), input, width, batchNorm);
        maps.add(new FeatureMap(x, 1));
        long stageIn = input.channels();
        for (int i = 1; i < levels; i++) {
            GraphScope stage = scope.scope("stage", i);
            Node pool = stage.layer("pool", new MaxPool2D(2, 2), x);
            stages.add(new PooledStage(2, stageIn, x.channels(), pool.name(), x));
            stageIn = x.channels();
            x = Blocks.doubleConv(stage, pool, (long) width << i, batchNorm);
            maps.add(new FeatureMap(x, 1 << i));
        }
        stages.add(new PooledStage(2, stageIn, x.channels(), null, x));
        return new EncoderFeatures(input, maps, stages);
    }
}
