package io.segnet.models.graph;

import io.segnet.core.graph.BilinearResize;
import io.segnet.core.layers.BatchNorm;
import io.segnet.core.layers.Conv2D;
import io.segnet.core.layers.FusedActivation;
import io.segnet.core.layers.SeparableConv2D;

/**
 * Small blocks shared by the encoders and decoders. Each adds its layers under the given scope with fixed local names
 * ({@code conv}, {@code bn}), so a block added under {@code decoder.block2.conv1} yields
 * {@code decoder.block2.conv1.conv} and {@code decoder.block2.conv1.bn}.
 *
 * <p>With batch norm, a convolution has no bias (the norm's shift replaces it) and the ReLU is fused into the
 * {@code BatchNorm}; without, the convolution has a bias and the ReLU is fused into it. Convolutions use "same"
 * padding {@code dilation * (k - 1) / 2}, so stride 1 keeps the size and stride 2 gives {@code ceil(H / 2)}.
 */
public final class Blocks {
    private Blocks() {
    }

    /** {@code k x k} convolution (stride, dilation, same padding) then BN and ReLU, or a biased convolution and ReLU. */
    public static Node convBnRelu(GraphScope s, Node in, long out, int k, int stride, int dilation, boolean batchNorm) {
        Conv2D conv = new Conv2D(in.channels(), out, k).stride(stride).dilation(dilation).samePadding();
        if (!batchNorm) {
            return s.layer("conv", conv.bias(true).activation(FusedActivation.RELU), in);
        }
        Node c = s.layer("conv", conv.bias(false), in);
        return s.layer("bn", new BatchNorm(out).activation(FusedActivation.RELU), c);
    }

    /** 3x3 stride-1 conv-BN-ReLU (or conv-ReLU without batch norm). */
    public static Node conv3x3(GraphScope s, Node in, long out, boolean batchNorm) {
        return convBnRelu(s, in, out, 3, 1, 1, batchNorm);
    }

    /** Convolution without bias then batch norm, no activation (a residual branch before the sum). */
    public static Node convBn(GraphScope s, Node in, long out, int k, int stride, int dilation) {
        Node c = s.layer("conv", new Conv2D(in.channels(), out, k).stride(stride).dilation(dilation).samePadding()
                .bias(false), in);
        return s.layer("bn", new BatchNorm(out), c);
    }

    /**
     * Depthwise-separable 3x3 convolution with dilation (no bias) then BN and ReLU; without batch norm the pointwise
     * convolution has a bias and the ReLU.
     */
    public static Node separableBnRelu(GraphScope s, Node in, long out, int dilation, boolean batchNorm) {
        SeparableConv2D conv = new SeparableConv2D(in.channels(), out, dilation);
        if (!batchNorm) {
            return s.layer("conv", conv.bias(true).activation(FusedActivation.RELU), in);
        }
        Node c = s.layer("conv", conv.bias(false), in);
        return s.layer("bn", new BatchNorm(out).activation(FusedActivation.RELU), c);
    }

    /** U-Net's double convolution: two 3x3 conv-BN-ReLU blocks under {@code conv1} and {@code conv2}. */
    public static Node doubleConv(GraphScope s, Node in, long out, boolean batchNorm) {
        Node x = conv3x3(s.scope("conv1"), in, out, batchNorm);
        return conv3x3(s.scope("conv2"), x, out, batchNorm);
    }

    /** 1x1 convolution with bias to {@code classes} channels: the logits of a segmentation head. */
    public static Node classifier(GraphScope s, Node in, int classes) {
        return s.layer("classifier", new Conv2D(in.channels(), classes, 1).bias(true), in);
    }

    /**
     * {@code kernel x kernel} convolution with bias and same padding to {@code classes} channels, named
     * {@code classifier}: {@link #classifier(GraphScope, Node, int)} for kernel 1, segmentation_models_pytorch's 3x3
     * {@code SegmentationHead} for kernel 3.
     */
    public static Node classifier(GraphScope s, Node in, int classes, int kernel) {
        if (kernel == 1) {
            return classifier(s, in, classes);
        }
        return s.layer("classifier", new Conv2D(in.channels(), classes, kernel).samePadding().bias(true), in);
    }

    /** Bilinear resize of {@code x} to the height and width of {@code reference} ({@code align_corners = false}). */
    public static Node resizeTo(GraphScope s, String local, Node x, Node reference) {
        return resizeTo(s, local, x, reference, false);
    }

    /** Bilinear resize of {@code x} to the height and width of {@code reference}, PyTorch's {@code align_corners}. */
    public static Node resizeTo(GraphScope s, String local, Node x, Node reference, boolean alignCorners) {
        return s.vertex(local, BilinearResize.toReference(alignCorners), x, reference);
    }
}
