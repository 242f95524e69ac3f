/**
 * oneDNN called through its own JavaCPP binding ({@code org.bytedeco:dnnl}):
 * {@link io.segnet.core.engine.dnnl.DnnlConvOps} (convolutions with stride and dilation and an optional ReLU post-op,
 * transposed convolutions) and {@link io.segnet.core.engine.dnnl.DnnlBatchNormOps} (batch normalisation with a fused
 * ReLU), forward and backward, and {@link io.segnet.core.engine.dnnl.DnnlPoolingOps} (max pooling for inference), on
 * FLOAT arrays.
 *
 * <p>Why not libnd4j's oneDNN glue: it rejects every dilated convolution ("could not create a descriptor for a
 * dilated convolution") and creates oneDNN's primitives on every call; here primitives are created once per shape and
 * cached, which makes ordinary convolutions 1.2-2.5x faster and dilated ones possible. The kernels share one engine,
 * stream, lock and native scratch arena (package-private {@code Dnnl}). Callers check {@code supports(...)} first and
 * use another engine for DOUBLE arrays or when the binding did not load.
 */
package io.segnet.core.engine.dnnl;
