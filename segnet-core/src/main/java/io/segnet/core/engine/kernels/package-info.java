/**
 * segnet's Java kernels on NCHW arrays, reading and writing ND4J's off-heap memory in place through
 * {@link io.segnet.core.engine.kernels.Buf}: the operations that libnd4j lacks or gets wrong. Atrous convolution as
 * per-tap GEMMs ({@link io.segnet.core.engine.kernels.AtrousOps}; libnd4j's dilated {@code conv2d} fails in its
 * oneDNN build), depthwise convolution ({@link io.segnet.core.engine.kernels.DepthwiseOps}), max pooling that records
 * argmax positions and unpooling through them, adaptive average pooling
 * ({@link io.segnet.core.engine.kernels.PoolingOps}; libnd4j's {@code max_pool_with_argmax} is a stub), bilinear
 * resize with exact gradients ({@link io.segnet.core.engine.kernels.ResizeOps}; libnd4j registers no resize gradient)
 * and batch normalisation ({@link io.segnet.core.engine.kernels.BatchNormOps}, the DOUBLE counterpart of oneDNN's).
 *
 * <p>Each kernel takes preallocated outputs and overwrites them, and works in FLOAT and DOUBLE (arithmetic in
 * {@code double}), so the same code serves training and the double-precision gradient checks. Work is split over
 * threads by {@link io.segnet.core.runtime.Parallel}; GEMMs go to OpenBLAS through {@link io.segnet.core.runtime.Blas}.
 */
package io.segnet.core.engine.kernels;
