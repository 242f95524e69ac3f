/**
 * libnd4j's native custom ops called directly on whole NCHW arrays: {@link io.segnet.core.engine.nd4j.Nd4jConvOps}
 * ({@code conv2d}, {@code conv2d_bp}, {@code deconv2d}, {@code deconv2d_bp}) with weights in PyTorch's layouts, so no
 * Java-side im2col, permute or copy happens around the call (the im2col of DL4J's own {@code ConvolutionLayer} is most
 * of its time).
 *
 * <p>These ops serve the DOUBLE convolutions of the gradient checks and FLOAT ones when oneDNN's binding is missing.
 * They never see a dilated convolution: libnd4j's dilated {@code conv2d} fails in the oneDNN build of ND4J.
 */
package io.segnet.core.engine.nd4j;
