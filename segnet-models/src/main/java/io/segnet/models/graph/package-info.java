/**
 * Building blocks for assembling architectures as DL4J {@code ComputationGraph}s: a scoped builder whose vertex names
 * follow the structure ({@code decoder.block3.conv1.bn}), the {@link io.segnet.models.graph.Node} handle that carries
 * a vertex's name and NCHW shape through the build, and common blocks (conv-BN-ReLU, double convolutions, segmentation
 * heads). The vertices themselves, such as the fused residual sum {@link io.segnet.core.graph.AddRelu}, live in
 * segnet-core's {@code io.segnet.core.graph}.
 */
package io.segnet.models.graph;
