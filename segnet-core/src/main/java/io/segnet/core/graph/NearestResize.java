package io.segnet.core.graph;

import io.segnet.core.engine.kernels.ResizeOps;

/**
 * Nearest-neighbour resize, PyTorch's {@code F.interpolate(mode="nearest")} (segmentation_models_pytorch's U-Net and
 * UNet++ decoders upsample with it), with exact gradients (each output pixel's gradient goes to the one input pixel
 * it copies).
 *
 * <p>One input: resized by {@link #getScale() scale} ({@code Ho = floor(H * scale)}, source index
 * {@code floor(o / scale)}). Two inputs {@code (x, reference)}: x is resized to the reference's spatial size (source
 * index {@code floor(o * H / Ho)}; the reference receives a zero gradient). A doubling repeats every pixel 2x2 either
 * way. {@code [N, C, H, W] -> [N, C, Ho, Wo]}.
 */
public class NearestResize extends ResizeVertex {

    /** Resize to the size of the second input. */
    public NearestResize() {
    }

    /** Resize to the size of the second input. */
    public static NearestResize toReference() {
        return new NearestResize();
    }

    /** Resize a single input by {@code scale}. */
    public static NearestResize byScale(double scale) {
        NearestResize r = new NearestResize();
        r.setScale(scale);
        return r;
    }

    @Override
    protected ResizeOps.Taps taps(int in, int out, double inverseScale) {
        return ResizeOps.Taps.nearest(in, out, inverseScale);
    }

    @Override
    public String toString() {
        return "NearestResize(scale=" + getScale() + ")";
    }
}
