/**
 * segnet's layers: DL4J layer configurations usable in a {@code ComputationGraph} and stored in the model JSON, whose
 * runtimes hand whole NCHW tensors to one of segnet's engines ({@link io.segnet.core.engine}).
 *
 * <p>{@link io.segnet.core.layers.Conv2D} (with exact atrous convolution),
 * {@link io.segnet.core.layers.SeparableConv2D}, {@link io.segnet.core.layers.TransposedConv2D} (the three share
 * {@link io.segnet.core.layers.BaseConv2D}), {@link io.segnet.core.layers.MaxPool2D} (records argmax positions),
 * {@link io.segnet.core.layers.AdaptiveAvgPool2D}, {@link io.segnet.core.layers.BatchNorm}. Weights use PyTorch's
 * layouts, so parameter counts and values carry over one to one. Layers fail on a wrong input with a message naming the
 * layer, the shape received and the shape expected.
 */
package io.segnet.core.layers;
