package io.segnet.models.encoder;

import io.segnet.models.graph.Node;

import java.util.Objects;

/**
 * One feature map an encoder yields: its graph node (name, channels, size at the build size) and its stride relative
 * to the input.
 *
 * @param node   the vertex and its output shape
 * @param stride input size / map size (1 for the input itself; dilated stages keep their predecessor's stride)
 */
public record FeatureMap(Node node, int stride) {

    public FeatureMap {
        Objects.requireNonNull(node, "node");
        if (stride < 1) {
            throw new IllegalArgumentException("FeatureMap '" + node.name() + "': stride must be >= 1, got " + stride);
        }
    }

    /** Channels of the map. */
    public long channels() {
        return node.channels();
    }
}
