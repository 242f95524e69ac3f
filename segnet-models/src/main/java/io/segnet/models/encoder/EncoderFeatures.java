package io.segnet.models.encoder;

import io.segnet.models.graph.Node;

import java.util.List;

/**
 * What an encoder added to a graph: its feature maps from the finest (stride 1) to the deepest, and, for encoders that
 * downsample only by max pooling, their stages.
 *
 * <p>The stride-1 map is either computed by the encoder (VGG's first block, the small encoder's first stage) or the
 * raw input itself ({@link #isInput}); decoders do not use the raw input as a skip connection.
 *
 * @param input  the graph input the encoder was applied to
 * @param maps   feature maps, strides non-decreasing (dilated stages repeat a stride)
 * @param stages the pooled stages, in order (empty for encoders that downsample with strided convolutions)
 */
public record EncoderFeatures(Node input, List<FeatureMap> maps, List<PooledStage> stages) {

    public EncoderFeatures {
        maps = List.copyOf(maps);
        stages = List.copyOf(stages);
        if (maps.isEmpty()) {
            throw new IllegalArgumentException("EncoderFeatures: an encoder yields at least one feature map");
        }
        for (int i = 1; i < maps.size(); i++) {
            if (maps.get(i).stride() < maps.get(i - 1).stride()) {
                throw new IllegalArgumentException("EncoderFeatures: strides must not decrease, got " + maps);
            }
        }
    }

    /** The deepest (last) map. */
    public FeatureMap deepest() {
        return maps.get(maps.size() - 1);
    }

    /** Map {@code i} (0 = stride 1). */
    public FeatureMap get(int i) {
        return maps.get(i);
    }

    /** Number of maps. */
    public int size() {
        return maps.size();
    }

    /** True if {@code map} is the raw input rather than a computed feature. */
    public boolean isInput(FeatureMap map) {
        return map.node().name().equals(input.name());
    }

    /**
     * The first computed map at {@code stride}.
     *
     * @throws IllegalArgumentException naming the strides this encoder has, if there is none
     */
    public FeatureMap firstAt(int stride, String who) {
        for (FeatureMap m : maps) {
            if (m.stride() == stride && !isInput(m)) {
                return m;
            }
        }
        throw new IllegalArgumentException(who + " needs an encoder feature map at stride " + stride + "; this encoder"
                + " has strides " + maps.stream().filter(m -> !isInput(m)).map(FeatureMap::stride).toList());
    }
}
