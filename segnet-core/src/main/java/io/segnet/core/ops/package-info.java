/**
 * Kernels on NCHW {@code INDArray}s, used by the layers and the benchmarks: native convolutions
 * ({@link io.segnet.core.ops.ConvOps}), atrous convolution as per-tap GEMMs ({@link io.segnet.core.ops.AtrousOps}),
 * depthwise convolution, pooling with indices and unpooling, adaptive average pooling, bilinear resize with exact
 * gradients, batch normalisation. Each takes preallocated outputs and overwrites them; each works in FLOAT and DOUBLE.
 */
package io.segnet.core.ops;
