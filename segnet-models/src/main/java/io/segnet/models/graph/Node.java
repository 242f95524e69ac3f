package io.segnet.models.graph;

/**
 * A vertex of a graph under construction and the shape of its output for one image at the size the graph is built
 * for: {@code [channels, height, width]} (the batch dimension is implicit).
 *
 * @param name     full vertex name in the graph (for instance {@code encoder.layer2.block0.conv1.bn})
 * @param channels output channels
 * @param height   output height at the build size
 * @param width    output width at the build size
 */
public record Node(String name, long channels, long height, long width) {

    public Node {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a graph node needs a name");
        }
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("node '" + name + "' has an empty output [" + channels + ", " + height
                    + ", " + width + "]");
        }
    }

    /** "[C, H, W]". */
    public String shape() {
        return "[" + channels + ", " + height + ", " + width + "]";
    }
}
