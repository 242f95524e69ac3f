package io.segnet.models;

/** How a decoder enlarges a feature map. */
public enum Upsampling {
    /**
     * A learned transposed convolution (kernel = stride = the size ratio in U-Net and UNet++; kernel 2s, stride s and
     * bilinear initialisation in FCN). Needs input sizes that the encoder's output stride divides.
     */
    TRANSPOSED,
    /** Parameter-free bilinear resize to the skip connection's size ({@code align_corners = false}); any input size. */
    BILINEAR
}
