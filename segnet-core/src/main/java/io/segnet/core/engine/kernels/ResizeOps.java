package io.segnet.core.engine.kernels;

import io.segnet.core.runtime.Parallel;
import io.segnet.core.runtime.Scratch;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * Bilinear (and nearest-neighbour) resize of NCHW arrays to any size, forward and exact backward, matching PyTorch's
 * {@code F.interpolate(mode="bilinear")} with {@code align_corners} false or true (and {@code mode="nearest"},
 * whose taps, {@link Taps#nearest}, give one source pixel weight 1).
 *
 * <p>Bilinear resize is separable and linear: {@code Y = A_h X A_w^T} per plane, where each row of {@code A} holds
 * two weights. The forward pass applies {@code A_w} then {@code A_h}; the backward pass applies the transposes, so the
 * gradient is exact (libnd4j registers no {@code resize_bilinear_bp}).
 *
 * <p>Source coordinate of output index {@code o}: with {@code align_corners=false},
 * {@code max(0, (o + 0.5) * scale - 0.5)} where {@code scale = in / out}, or {@code 1 / scaleFactor} when the caller
 * resized by a scale factor (PyTorch's rule when {@code recompute_scale_factor} is unset); with
 * {@code align_corners=true}, {@code o * (in - 1) / (out - 1)}.
 *
 * <p>When one side is small (a few bins resized back up, as in pyramid pooling) the resize runs as one matrix
 * product over all planes ({@link PlaneGemm}); otherwise as the separable loops.
 */
public final class ResizeOps {
    private ResizeOps() {
    }

    /** Interpolation taps for one axis: output {@code o} reads {@code lo[o]} with weight {@code wLo[o]} and {@code hi[o]} with {@code 1 - wLo[o]}. */
    public record Taps(int[] lo, int[] hi, double[] wLo, int in, int out) {
        /**
         * @param coordScale input units per output unit, or {@code NaN} to use {@code in / out}
         */
        public static Taps of(int in, int out, boolean alignCorners, double coordScale) {
            int[] lo = new int[out], hi = new int[out];
            double[] wLo = new double[out];
            double scale = Double.isNaN(coordScale) ? (double) in / out : coordScale;
            for (int o = 0; o < out; o++) {
                double src;
                if (alignCorners) {
                    src = out > 1 ? o * (double) (in - 1) / (out - 1) : 0.0;
                } else {
                    src = Math.max(0.0, (o + 0.5) * scale - 0.5);
                }
                int i0 = Math.min((int) Math.floor(src), in - 1);
                int i1 = Math.min(i0 + 1, in - 1);
                double l1 = src - i0;
                lo[o] = i0;
                hi[o] = i1;
                wLo[o] = 1.0 - l1;
            }
            return new Taps(lo, hi, wLo, in, out);
        }

        /**
         * Nearest-neighbour taps, PyTorch's {@code F.interpolate(mode="nearest")}: output {@code o} reads input
         * {@code min(floor(o * scale), in - 1)}, computed in float as PyTorch does ({@code scale = in / out}, or
         * {@code coordScale} when the caller resized by a scale factor), with PyTorch's exact cases for equal sizes
         * and a doubling.
         *
         * @param coordScale input units per output unit, or {@code NaN} to use {@code in / out}
         */
        public static Taps nearest(int in, int out, double coordScale) {
            int[] src = new int[out];
            float scale = Double.isNaN(coordScale) ? (float) in / out : (float) coordScale;
            for (int o = 0; o < out; o++) {
                if (out == in) {
                    src[o] = o;
                } else if (out == 2 * in) {
                    src[o] = o >> 1;
                } else {
                    src[o] = Math.min((int) Math.floor(o * scale), in - 1);
                }
            }
            double[] one = new double[out];
            Arrays.fill(one, 1.0);
            return new Taps(src, src.clone(), one, in, out);
        }

        /** The taps as a dense {@code out x in} weight matrix. */
        PlaneGemm.Axis axis() {
            double[] m = new double[out * in];
            for (int o = 0; o < out; o++) {
                m[o * in + lo[o]] += wLo[o];
                m[o * in + hi[o]] += 1.0 - wLo[o];
            }
            return new PlaneGemm.Axis(out, in, m);
        }

        /** Equal when the taps are (element by element), so that equal resizes share cached matrices. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Taps t && in == t.in && out == t.out && Arrays.equals(lo, t.lo)
                    && Arrays.equals(hi, t.hi) && Arrays.equals(wLo, t.wLo);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * in + out) + Arrays.hashCode(wLo);
        }
    }

    /** Identifies a resize for {@link PlaneGemm}'s cache. */
    private record Resize(Taps th, Taps tw) {
    }

    /** The resize as one {@code [oh*ow, h*w]} matrix, if {@link PlaneGemm} suits its size; else null. */
    private static INDArray dense(DataType type, Taps th, Taps tw) {
        if (!PlaneGemm.suits((long) th.in() * tw.in(), (long) th.out() * tw.out())) {
            return null;
        }
        return PlaneGemm.kron(type, new Resize(th, tw), () -> new PlaneGemm.Axis[]{th.axis(), tw.axis()});
    }

    /**
     * {@code out = resize(x)}.
     *
     * @param x   {@code [N, C, H, W]}
     * @param out {@code [N, C, Ho, Wo]}, fully overwritten
     */
    public static void forward(INDArray x, INDArray out, Taps th, Taps tw) {
        INDArray k = dense(x.dataType(), th, tw);
        if (k != null) {
            PlaneGemm.forward(x, out, k);
            return;
        }
        int planes = (int) (x.size(0) * x.size(1));
        int h = th.in(), w = tw.in(), oh = th.out(), ow = tw.out();
        Buf xb = Buf.of(x), ob = Buf.of(out);
        if (xb instanceof Buf.F32 xf && ob instanceof Buf.F32 of) {
            forwardFloat(xf, of, planes, th, tw);
            return;
        }
        Parallel.forEach(planes, (long) oh * ow * 2 + (long) h * ow * 2, p -> {
            double[] plane = Scratch.get(0, h * w), rows = Scratch.get(1, h * ow), res = Scratch.get(2, oh * ow);
            xb.read(p * h * w, plane, 0, h * w);
            int[] lo = tw.lo(), hi = tw.hi();
            double[] wLo = tw.wLo();
            for (int r = 0; r < h; r++) {
                int row = r * w, dst = r * ow;
                for (int j = 0; j < ow; j++) {
                    rows[dst + j] = wLo[j] * plane[row + lo[j]] + (1.0 - wLo[j]) * plane[row + hi[j]];
                }
            }
            for (int i = 0; i < oh; i++) {
                double wl = th.wLo()[i], wh = 1.0 - wl;
                int a = th.lo()[i] * ow, b = th.hi()[i] * ow, d = i * ow;
                for (int j = 0; j < ow; j++) {
                    res[d + j] = wl * rows[a + j] + wh * rows[b + j];
                }
            }
            ob.write(p * oh * ow, res, 0, oh * ow);
        });
    }

    /**
     * {@code dx = A_h^T dy A_w}, the exact gradient of {@link #forward}.
     *
     * @param dy {@code [N, C, Ho, Wo]}
     * @param dx {@code [N, C, H, W]}, fully overwritten
     */
    public static void backward(INDArray dy, INDArray dx, Taps th, Taps tw) {
        INDArray k = dense(dy.dataType(), th, tw);
        if (k != null) {
            PlaneGemm.backward(dy, dx, k);
            return;
        }
        int planes = (int) (dx.size(0) * dx.size(1));
        int h = th.in(), w = tw.in(), oh = th.out(), ow = tw.out();
        Buf gb = Buf.of(dy), xb = Buf.of(dx);
        if (gb instanceof Buf.F32 gf && xb instanceof Buf.F32 xf) {
            backwardFloat(gf, xf, planes, th, tw);
            return;
        }
        Parallel.forEach(planes, (long) oh * ow * 2 + (long) h * ow * 2, p -> {
            double[] rows = Scratch.zeros(0, h * ow), g = Scratch.get(1, oh * ow), plane = Scratch.zeros(2, h * w);
            gb.read(p * oh * ow, g, 0, oh * ow);
            for (int i = 0; i < oh; i++) {
                double wl = th.wLo()[i], wh = 1.0 - wl;
                int a = th.lo()[i] * ow, b = th.hi()[i] * ow, s0 = i * ow;
                for (int j = 0; j < ow; j++) {
                    rows[a + j] += wl * g[s0 + j];
                }
                for (int j = 0; j < ow; j++) {
                    rows[b + j] += wh * g[s0 + j];
                }
            }
            int[] lo = tw.lo(), hi = tw.hi();
            double[] wLo = tw.wLo();
            for (int r = 0; r < h; r++) {
                int src = r * ow, dst = r * w;
                for (int j = 0; j < ow; j++) {
                    double v = rows[src + j];
                    plane[dst + lo[j]] += wLo[j] * v;
                    plane[dst + hi[j]] += (1.0 - wLo[j]) * v;
                }
            }
            xb.write(p * h * w, plane, 0, h * w);
        });
    }

    /*
     * Float arrays are resized in float, as PyTorch's CPU kernel does (its opmath type for float is float): the same
     * separable passes as the double loops above on float scratch, read and written without conversion, so the JIT
     * vectorises the vertical pass with twice the lanes (measured on reference case L6, [4, 64, 32, 32] -> 128x128).
     */

    /** One axis's taps with float weights: output {@code o} is {@code wLo[o] x[lo[o]] + wHi[o] x[hi[o]]}. */
    private record FloatTaps(int[] lo, int[] hi, float[] wLo, float[] wHi) {
        static FloatTaps of(Taps t) {
            float[] wLo = new float[t.out()], wHi = new float[t.out()];
            for (int o = 0; o < t.out(); o++) {
                wLo[o] = (float) t.wLo()[o];
                wHi[o] = (float) (1.0 - t.wLo()[o]);
            }
            return new FloatTaps(t.lo(), t.hi(), wLo, wHi);
        }
    }

    private static void forwardFloat(Buf.F32 xf, Buf.F32 of, int planes, Taps th, Taps tw) {
        int h = th.in(), w = tw.in(), oh = th.out(), ow = tw.out();
        FloatTaps fw = FloatTaps.of(tw), fh = FloatTaps.of(th);
        Parallel.forEach(planes, (long) oh * ow * 2 + (long) h * ow * 2, p -> {
            float[] plane = Scratch.floats(0, h * w), out = Scratch.floats(1, ow);
            float[][] rows = Scratch.floatRows(h, ow);
            xf.readFloats(p * h * w, plane, 0, h * w);
            for (int r = 0; r < h; r++) {
                float[] dst = rows[r];
                int row = r * w;
                for (int j = 0; j < ow; j++) {
                    dst[j] = fw.wLo[j] * plane[row + fw.lo[j]] + fw.wHi[j] * plane[row + fw.hi[j]];
                }
            }
            for (int i = 0; i < oh; i++) {
                float a0 = fh.wLo[i], b0 = fh.wHi[i];
                float[] ra = rows[fh.lo[i]], rb = rows[fh.hi[i]];
                for (int j = 0; j < ow; j++) {
                    out[j] = a0 * ra[j] + b0 * rb[j];
                }
                of.writeFloats(p * oh * ow + i * ow, out, 0, ow);
            }
        });
    }

    private static void backwardFloat(Buf.F32 gf, Buf.F32 xf, int planes, Taps th, Taps tw) {
        int h = th.in(), w = tw.in(), oh = th.out(), ow = tw.out();
        FloatTaps fw = FloatTaps.of(tw), fh = FloatTaps.of(th);
        Parallel.forEach(planes, (long) oh * ow * 2 + (long) h * ow * 2, p -> {
            float[] g = Scratch.floats(1, ow), plane = Scratch.floats(2, h * w);
            float[][] rows = Scratch.floatRows(h, ow);
            for (int r = 0; r < h; r++) {
                Arrays.fill(rows[r], 0, ow, 0f);
            }
            Arrays.fill(plane, 0, h * w, 0f);
            for (int i = 0; i < oh; i++) {
                gf.readFloats(p * oh * ow + i * ow, g, 0, ow);
                float a0 = fh.wLo[i], b0 = fh.wHi[i];
                float[] ra = rows[fh.lo[i]], rb = rows[fh.hi[i]];
                for (int j = 0; j < ow; j++) {
                    ra[j] += a0 * g[j];
                }
                for (int j = 0; j < ow; j++) {
                    rb[j] += b0 * g[j];
                }
            }
            for (int r = 0; r < h; r++) {
                float[] src = rows[r];
                int dst = r * w;
                for (int j = 0; j < ow; j++) {
                    float v = src[j];
                    plane[dst + fw.lo[j]] += fw.wLo[j] * v;
                    plane[dst + fw.hi[j]] += fw.wHi[j] * v;
                }
            }
            xf.writeFloats(p * h * w, plane, 0, h * w);
        });
    }
}
