package io.segnet.core.graph;

import io.segnet.core.engine.kernels.ResizeOps;

/**
 * Bilinear resize, PyTorch's {@code F.interpolate(mode="bilinear", align_corners=...)}, with exact gradients.
 *
 * <p>One input: resized by {@link #getScale() scale} ({@code Ho = floor(H * scale)}, source coordinates mapped with
 * {@code 1 / scale} as PyTorch does for a scale factor). Two inputs {@code (x, reference)}: x is resized to the
 * reference's spatial size (the reference receives a zero gradient). {@code [N, C, H, W] -> [N, C, Ho, Wo]}.
 * A 1x1 input broadcasts to the whole output (ASPP's image pooling). Default: {@code align_corners = false}.
 */
public class BilinearResize extends ResizeVertex {
    private boolean alignCorners = false;

    /** Resize to the size of the second input, {@code align_corners = false}. */
    public BilinearResize() {
    }

    /** Resize to the size of the second input. */
    public static BilinearResize toReference(boolean alignCorners) {
        BilinearResize r = new BilinearResize();
        r.alignCorners = alignCorners;
        return r;
    }

    /** Resize a single input by {@code scale}. */
    public static BilinearResize byScale(double scale, boolean alignCorners) {
        BilinearResize r = new BilinearResize();
        r.setScale(scale);
        r.alignCorners = alignCorners;
        return r;
    }

    /** PyTorch's {@code align_corners}. */
    public boolean isAlignCorners() {
        return alignCorners;
    }

    @Override
    protected ResizeOps.Taps taps(int in, int out, double inverseScale) {
        return ResizeOps.Taps.of(in, out, alignCorners, inverseScale);
    }

    @Override
    public String toString() {
        return "BilinearResize(scale=" + getScale() + ", alignCorners=" + alignCorners + ")";
    }
}
