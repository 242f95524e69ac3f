package io.segnet.models;

/** How a decoder enlarges a feature map. */
public enum Upsampling {
    /**
     * A learned transposed convolution (kernel = stride = the size ratio in U-Net and UNet++; kernel 2s, stride s and
     * bilinear initialisation in FCN). Needs input sizes that the encoder's output stride divides.
     */
    TRANSPOSED,
    /** Parameter-free bilinear resize to the skip connection's size ({@code align_corners = false}); any input size. */
    BILINEAR,
    /**
     * Parameter-free nearest-neighbour resize to the skip connection's size: segmentation_models_pytorch's U-Net and
     * UNet++ ({@code F.interpolate(scale_factor=2, mode="nearest")}, the same where the skip is twice as large); any
     * input size.
     */
    NEAREST
}
