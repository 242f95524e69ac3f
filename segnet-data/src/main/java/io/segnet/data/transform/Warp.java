package io.segnet.data.transform;

import io.segnet.data.Sample;

/**
 * Resampling of a sample through an affine map from output to input pixel coordinates: bilinear for the
 * image, nearest-neighbour for the mask, with the same map so the two stay aligned.
 *
 * <p>Pixel {@code (x, y)} of the output reads the input at {@code sx = ax*x + bx*y + cx},
 * {@code sy = ay*x + by*y + cy}, in pixel-index coordinates (pixel centres at integers). A point is inside
 * the input when {@code -0.5 <= sx < W - 0.5} and likewise for {@code sy}; outside, the image gets
 * {@code imageFill} and the mask the ignore value. Inside, bilinear sampling clamps to the border pixels
 * (as PyTorch's {@code align_corners=False}) and the mask takes pixel {@code floor(sx + 0.5)}.
 */
final class Warp {

    private Warp() {
    }

    static Sample affine(Sample s, int outH, int outW, double ax, double bx, double cx, double ay, double by,
                         double cy, float imageFill) {
        int h = s.height();
        int w = s.width();
        int channels = s.channels();
        int plane = h * w;
        int outPlane = outH * outW;
        float[] src = s.image();
        int[] srcMask = s.mask();
        float[] out = new float[channels * outPlane];
        int[] outMask = srcMask == null ? null : new int[outPlane];
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                int o = y * outW + x;
                double sx = ax * x + bx * y + cx;
                double sy = ay * x + by * y + cy;
                if (sx < -0.5 || sx >= w - 0.5 || sy < -0.5 || sy >= h - 0.5) {
                    for (int c = 0; c < channels; c++) {
                        out[c * outPlane + o] = imageFill;
                    }
                    if (outMask != null) {
                        outMask[o] = s.ignoreValue();
                    }
                    continue;
                }
                double qx = Math.min(Math.max(sx, 0), w - 1);
                double qy = Math.min(Math.max(sy, 0), h - 1);
                int x0 = (int) qx;
                int y0 = (int) qy;
                int x1 = Math.min(x0 + 1, w - 1);
                int y1 = Math.min(y0 + 1, h - 1);
                float fx = (float) (qx - x0);
                float fy = (float) (qy - y0);
                float w00 = (1 - fx) * (1 - fy);
                float w01 = fx * (1 - fy);
                float w10 = (1 - fx) * fy;
                float w11 = fx * fy;
                int i00 = y0 * w + x0;
                int i01 = y0 * w + x1;
                int i10 = y1 * w + x0;
                int i11 = y1 * w + x1;
                for (int c = 0; c < channels; c++) {
                    int p = c * plane;
                    out[c * outPlane + o] = w00 * src[p + i00] + w01 * src[p + i01] + w10 * src[p + i10]
                            + w11 * src[p + i11];
                }
                if (outMask != null) {
                    int mx = (int) Math.floor(sx + 0.5);
                    int my = (int) Math.floor(sy + 0.5);
                    outMask[o] = srcMask[my * w + mx];
                }
            }
        }
        return s.with(channels, outH, outW, out, outMask);
    }

    /**
     * Scales the sample to {@code scaledH x scaledW} and takes the window of {@code outH x outW} starting at
     * {@code (top, left)} of the scaled image (negative or overhanging starts pad).
     */
    static Sample scaleAndWindow(Sample s, int scaledH, int scaledW, int top, int left, int outH, int outW,
                                 float imageFill) {
        double ry = (double) s.height() / scaledH;
        double rx = (double) s.width() / scaledW;
        return affine(s, outH, outW, rx, 0, (left + 0.5) * rx - 0.5, 0, ry, (top + 0.5) * ry - 0.5, imageFill);
    }
}
