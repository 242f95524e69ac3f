package io.segnet.data.transform;

import io.segnet.data.Sample;

/**
 * Resampling of a sample through a map from output to input pixel coordinates: bilinear for the image,
 * nearest-neighbour for the mask, with the same map so the two stay aligned. The map is affine
 * ({@link #affine}: scaling, cropping, rotation) or a per-pixel displacement field ({@link #displace}: elastic
 * deformation); both compute a row's source coordinates and sample them with one routine, so they follow the
 * same rules.
 *
 * <p>Pixel {@code (x, y)} of the output reads the input at source coordinates {@code (sx, sy)}, in pixel-index
 * coordinates (pixel centres at integers). A point is inside the input when {@code -0.5 <= sx < W - 0.5} and
 * likewise for {@code sy}; outside, the image gets {@code imageFill} and the mask the ignore value. Inside, bilinear
 * sampling clamps to the border pixels (as PyTorch's {@code align_corners=False}) and the mask takes pixel
 * {@code floor(sx + 0.5)}.
 */
final class Warp {

    private Warp() {
    }

    /**
     * The sample resampled to {@code outH x outW} through the affine map {@code sx = ax*x + bx*y + cx},
     * {@code sy = ay*x + by*y + cy}.
     */
    static Sample affine(Sample s, int outH, int outW, double ax, double bx, double cx, double ay, double by,
                         double cy, float imageFill) {
        Sampler sampler = new Sampler(s, outH, outW, imageFill);
        double[] sx = new double[outW];
        double[] sy = new double[outW];
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                sx[x] = ax * x + bx * y + cx;
                sy[x] = ay * x + by * y + cy;
            }
            sampler.sampleRow(y, sx, sy);
        }
        return sampler.result();
    }

    /**
     * The sample resampled at its own size through a displacement field: output pixel {@code (x, y)} reads the input
     * at {@code (x + dx[i], y + dy[i])}, {@code i = y*W + x}.
     *
     * @param dx H*W horizontal displacements in pixels, row-major
     * @param dy H*W vertical displacements in pixels, row-major
     */
    static Sample displace(Sample s, double[] dx, double[] dy, float imageFill) {
        int h = s.height();
        int w = s.width();
        if (dx.length != s.pixels() || dy.length != s.pixels()) {
            throw new IllegalArgumentException("displacement fields of " + dx.length + " and " + dy.length
                    + " values for sample '" + s.id() + "' of " + h + "x" + w + " pixels; give H*W = "
                    + s.pixels() + " each");
        }
        Sampler sampler = new Sampler(s, h, w, imageFill);
        double[] sx = new double[w];
        double[] sy = new double[w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                sx[x] = x + dx[y * w + x];
                sy[x] = y + dy[y * w + x];
            }
            sampler.sampleRow(y, sx, sy);
        }
        return sampler.result();
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

    /** Writes the output a row at a time from source coordinates, by the rules in the class comment. */
    private static final class Sampler {

        private final Sample s;
        private final int h;
        private final int w;
        private final int channels;
        private final int plane;
        private final float[] src;
        private final int[] srcMask;
        private final int outH;
        private final int outW;
        private final int outPlane;
        private final float[] out;
        private final int[] outMask;
        private final float imageFill;
        private final int ignore;

        Sampler(Sample s, int outH, int outW, float imageFill) {
            this.s = s;
            this.h = s.height();
            this.w = s.width();
            this.channels = s.channels();
            this.plane = h * w;
            this.src = s.image();
            this.srcMask = s.mask();
            this.outH = outH;
            this.outW = outW;
            this.outPlane = outH * outW;
            this.out = new float[channels * outPlane];
            this.outMask = srcMask == null ? null : new int[outPlane];
            this.imageFill = imageFill;
            this.ignore = s.ignoreValue();
        }

        /**
         * Output row {@code y} from the input: its pixel {@code x} at source coordinates {@code (sx[x], sy[x])}.
         * (A row at a time, so the loop stays in one method the JIT compiles as a whole: a call per pixel is too
         * large to inline.)
         */
        void sampleRow(int y, double[] sx, double[] sy) {
            int w = this.w;
            int h = this.h;
            int channels = this.channels;
            int plane = this.plane;
            int outPlane = this.outPlane;
            float[] src = this.src;
            int[] srcMask = this.srcMask;
            float[] out = this.out;
            int[] outMask = this.outMask;
            int row = y * outW;
            for (int x = 0; x < outW; x++) {
                int o = row + x;
                double px = sx[x];
                double py = sy[x];
                if (px < -0.5 || px >= w - 0.5 || py < -0.5 || py >= h - 0.5) {
                    for (int c = 0; c < channels; c++) {
                        out[c * outPlane + o] = imageFill;
                    }
                    if (outMask != null) {
                        outMask[o] = ignore;
                    }
                    continue;
                }
                double qx = Math.min(Math.max(px, 0), w - 1);
                double qy = Math.min(Math.max(py, 0), h - 1);
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
                    int mx = (int) Math.floor(px + 0.5);
                    int my = (int) Math.floor(py + 0.5);
                    outMask[o] = srcMask[my * w + mx];
                }
            }
        }

        /** The sample of the pixels written. */
        Sample result() {
            return s.with(channels, outH, outW, out, outMask);
        }
    }
}
