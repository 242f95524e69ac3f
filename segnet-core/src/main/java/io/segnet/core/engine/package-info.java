/**
 * segnet's compute engines, and the one place where a layer's engine is chosen.
 *
 * <p>Stock DL4J layers run im2col from Java and never load their oneDNN helpers in ND4J 1.0.0-M2.1, which makes them
 * 10-60x slower than PyTorch on the CPU; segnet's layers instead hand whole NCHW tensors, in PyTorch's weight layouts,
 * to one of three engines:
 * <ul>
 *   <li>{@link io.segnet.core.engine.dnnl}: oneDNN through its own binding, with cached primitives (FLOAT
 *       convolutions of every kind, transposed convolutions, batch norm);</li>
 *   <li>{@link io.segnet.core.engine.nd4j}: libnd4j's native custom ops called directly (DOUBLE convolutions for the
 *       gradient checks, and FLOAT ones where oneDNN's binding did not load);</li>
 *   <li>{@link io.segnet.core.engine.kernels}: segnet's own Java kernels on ND4J's off-heap buffers, for what libnd4j
 *       lacks or gets wrong (dilated convolution, pooling with indices, resize gradients, ...).</li>
 * </ul>
 * {@link io.segnet.core.engine.ConvolutionBackend} and {@link io.segnet.core.engine.TransposedConvolutionBackend} say
 * which engine computes a convolution; a layer runtime asks once for the data type it computes in and keeps the answer.
 */
package io.segnet.core.engine;
