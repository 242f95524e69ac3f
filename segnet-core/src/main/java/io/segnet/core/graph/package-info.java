/**
 * Graph vertices for operations with more than one input or that use another layer's state:
 * {@link io.segnet.core.graph.BilinearResize} and {@link io.segnet.core.graph.NearestResize} (by a scale or to another
 * input's size),
 * {@link io.segnet.core.graph.MatchSize} (crop or pad to another input's size, FCN skip alignment),
 * {@link io.segnet.core.graph.MaxUnpool} (SegNet's unpooling through a {@link io.segnet.core.layers.MaxPool2D}'s
 * recorded indices) and {@link io.segnet.core.graph.AddRelu} (the end of a residual block,
 * {@code relu(x_0 + x_1 + ...)} in two passes). Concatenation is {@link io.segnet.core.graph.Concat}, DL4J's
 * {@code MergeVertex} with its input gradients in reused memory; plain sums use DL4J's {@code ElementWiseVertex}.
 */
package io.segnet.core.graph;
