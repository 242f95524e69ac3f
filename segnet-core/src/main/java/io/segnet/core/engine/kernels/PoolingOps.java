package io.segnet.core.engine.kernels;

import io.segnet.core.runtime.Parallel;
import io.segnet.core.runtime.Scratch;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * Max pooling that records argmax positions, max unpooling through them, and adaptive average pooling, on NCHW arrays.
 *
 * <p>Semantics follow PyTorch: {@code F.max_pool2d(return_indices=True)} (padding counts as -inf, the first maximum
 * in row-major window order wins, {@code -0.0} and {@code 0.0} are equal, a NaN wins and the last NaN in the window
 * is the one taken, an index is {@code h * W + w} within the input plane), {@code F.max_unpool2d}, and
 * {@code F.adaptive_avg_pool2d} (bin {@code i} of {@code n} over length {@code L} spans
 * {@code [floor(i L / n), ceil((i + 1) L / n))}).
 */
public final class PoolingOps {
    private PoolingOps() {
    }

    /** Output length of a pooling window sweep, as PyTorch computes it (ceil mode keeps windows that start inside). */
    public static long pooledSize(long in, int kernel, int stride, int pad, boolean ceilMode) {
        long span = in + 2L * pad - kernel;
        long out = (ceilMode ? Math.floorDiv(span + stride - 1, stride) : Math.floorDiv(span, stride)) + 1;
        if (ceilMode && (out - 1) * stride >= in + pad) {
            out--;
        }
        return out;
    }

    /**
     * Max pooling forward.
     *
     * @param x      input {@code [N, C, H, W]}, contiguous
     * @param out    output {@code [N, C, Ho, Wo]}, contiguous, fully overwritten
     * @param argmax receives, per output element, the flat index {@code h * W + w} of its maximum in the input plane;
     *               length {@code N*C*Ho*Wo}
     */
    public static void maxPoolForward(INDArray x, INDArray out, int[] argmax, int kh, int kw, int sh, int sw, int ph,
                                      int pw) {
        int planes = (int) (x.size(0) * x.size(1));
        int h = (int) x.size(2), w = (int) x.size(3);
        int oh = (int) out.size(2), ow = (int) out.size(3);
        Window win = new Window(h, w, oh, ow, kh, kw, sh, sw, ph, pw);
        Buf xb = Buf.of(x), ob = Buf.of(out);
        long work = (long) oh * ow * kh * kw;
        if (xb instanceof Buf.F32 xf && ob instanceof Buf.F32 of) {
            // Float arrays are compared and copied as floats: the same maxima and positions as in double (widening
            // is exact and monotone), without converting every value twice.
            Parallel.forEach(planes, work, p -> {
                float[] plane = Scratch.floats(0, h * w), res = Scratch.floats(1, oh * ow);
                xf.readFloats(p * h * w, plane, 0, h * w);
                maxPlane(plane, res, argmax, p * oh * ow, win);
                of.writeFloats(p * oh * ow, res, 0, oh * ow);
            });
        } else {
            Parallel.forEach(planes, work, p -> {
                double[] plane = Scratch.get(0, h * w), res = Scratch.get(1, oh * ow);
                xb.read(p * h * w, plane, 0, h * w);
                maxPlane(plane, res, argmax, p * oh * ow, win);
                ob.write(p * oh * ow, res, 0, oh * ow);
            });
        }
    }

    /**
     * Max pooling values only (inference without indices), {@code [N, C, H, W] -> [N, C, Ho, Wo]}: the same maxima as
     * {@link #maxPoolForward} (NaN wins), except that a zero maximum may be {@code +0} where that gives {@code -0}.
     * 2x2 windows with stride 2 take {@link Math#max}, which the JIT compiles without branches.
     */
    public static void maxPoolValues(INDArray x, INDArray out, int kh, int kw, int sh, int sw, int ph, int pw) {
        int planes = (int) (x.size(0) * x.size(1));
        int h = (int) x.size(2), w = (int) x.size(3);
        int oh = (int) out.size(2), ow = (int) out.size(3);
        Window win = new Window(h, w, oh, ow, kh, kw, sh, sw, ph, pw);
        Buf xb = Buf.of(x), ob = Buf.of(out);
        if (!(win.twoByTwo() && xb instanceof Buf.F32 xf && ob instanceof Buf.F32 of)) {
            maxPoolForward(x, out, new int[(int) out.length()], kh, kw, sh, sw, ph, pw);
            return;
        }
        Parallel.forEach(planes, (long) oh * ow * 4, p -> {
            float[] plane = Scratch.floats(0, h * w), res = Scratch.floats(1, oh * ow);
            xf.readFloats(p * h * w, plane, 0, h * w);
            for (int i = 0; i < oh; i++) {
                int r0 = 2 * i * w, r1 = r0 + w, o = i * ow;
                for (int j = 0; j < ow; j++) {
                    int a = r0 + 2 * j, b = r1 + 2 * j;
                    res[o + j] = Math.max(Math.max(plane[a], plane[a + 1]), Math.max(plane[b], plane[b + 1]));
                }
            }
            of.writeFloats(p * oh * ow, res, 0, oh * ow);
        });
    }

    /** Geometry of a pooling window sweep over one {@code h x w} plane. */
    private record Window(int h, int w, int oh, int ow, int kh, int kw, int sh, int sw, int ph, int pw) {
        /** 2x2 windows, stride 2, no padding, all inside the plane (not the last of an odd size in ceil mode). */
        boolean twoByTwo() {
            return kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0 && 2 * oh <= h && 2 * ow <= w;
        }
    }

    /**
     * Order-preserving integer key of a float, for branch-free maxima (the JIT turns integer selects into conditional
     * moves but float ones into branches, which mispredict on real data): {@code a < b} exactly when
     * {@code key(a) < key(b)}, {@code key(-0f) == key(0f)}, and every NaN maps to {@link #NAN_KEY}, above infinity.
     */
    static int key(float v) {
        int b = Float.floatToRawIntBits(v);
        int m = b >> 31;
        return (b & 0x7fffffff) > 0x7f800000 ? NAN_KEY : (b ^ (m & 0x7fffffff)) - m;
    }

    private static final int NAN_KEY = Integer.MAX_VALUE;

    /*
     * PyTorch's rule in both versions below: a larger value replaces the maximum and so does any NaN (the first of
     * equal maxima wins, the last NaN wins). The float version compares keys, the double version values.
     */

    private static void maxPlane(float[] plane, float[] res, int[] argmax, int oBase, Window g) {
        int w = g.w(), oh = g.oh(), ow = g.ow();
        if (g.twoByTwo()) {
            for (int i = 0; i < oh; i++) {
                int r0 = 2 * i * w, r1 = r0 + w, o = i * ow;
                for (int j = 0; j < ow; j++) {
                    int a = r0 + 2 * j, b = r1 + 2 * j;
                    int k0 = key(plane[a]), k1 = key(plane[a + 1]), k2 = key(plane[b]), k3 = key(plane[b + 1]);
                    int best = a, bestKey = k0;
                    best = k1 > bestKey | k1 == NAN_KEY ? a + 1 : best;
                    bestKey = Math.max(bestKey, k1);
                    best = k2 > bestKey | k2 == NAN_KEY ? b : best;
                    bestKey = Math.max(bestKey, k2);
                    best = k3 > bestKey | k3 == NAN_KEY ? b + 1 : best;
                    argmax[oBase + o + j] = best;
                    res[o + j] = plane[best];
                }
            }
            return;
        }
        for (int i = 0; i < oh; i++) {
            int h0 = Math.max(i * g.sh() - g.ph(), 0), h1 = Math.min(i * g.sh() - g.ph() + g.kh(), g.h());
            for (int j = 0; j < ow; j++) {
                int w0 = Math.max(j * g.sw() - g.pw(), 0), w1 = Math.min(j * g.sw() - g.pw() + g.kw(), w);
                int bestKey = key(Float.NEGATIVE_INFINITY);
                int best = h0 * w + w0;
                for (int r = h0; r < h1; r++) {
                    int row = r * w;
                    for (int c = w0; c < w1; c++) {
                        int k = key(plane[row + c]);
                        best = k > bestKey | k == NAN_KEY ? row + c : best;
                        bestKey = Math.max(bestKey, k);
                    }
                }
                argmax[oBase + i * ow + j] = best;
                // A window wholly in the padding has no element; PyTorch reports -inf there.
                res[i * ow + j] = h0 < h1 && w0 < w1 ? plane[best] : Float.NEGATIVE_INFINITY;
            }
        }
    }

    /** The double version, for gradient checks and double models: one loop for every window shape. */
    private static void maxPlane(double[] plane, double[] res, int[] argmax, int oBase, Window g) {
        int w = g.w(), oh = g.oh(), ow = g.ow();
        for (int i = 0; i < oh; i++) {
            int h0 = Math.max(i * g.sh() - g.ph(), 0), h1 = Math.min(i * g.sh() - g.ph() + g.kh(), g.h());
            for (int j = 0; j < ow; j++) {
                int w0 = Math.max(j * g.sw() - g.pw(), 0), w1 = Math.min(j * g.sw() - g.pw() + g.kw(), w);
                double best = Double.NEGATIVE_INFINITY;
                int bestIdx = h0 * w + w0;
                for (int r = h0; r < h1; r++) {
                    int row = r * w;
                    for (int c = w0; c < w1; c++) {
                        double v = plane[row + c];
                        if (v > best || v != v) {
                            best = v;
                            bestIdx = row + c;
                        }
                    }
                }
                res[i * ow + j] = best;
                argmax[oBase + i * ow + j] = bestIdx;
            }
        }
    }

    /**
     * Routes each output gradient to its argmax position: {@code dx = 0; dx[plane, argmax] += dy}.
     *
     * @param dy gradient w.r.t. the pooled output {@code [N, C, Ho, Wo]}
     * @param dx gradient w.r.t. the input {@code [N, C, H, W]}, fully overwritten
     */
    public static void maxPoolBackward(INDArray dy, int[] argmax, INDArray dx) {
        scatter(dy, argmax, dx, true);
    }

    /**
     * Max unpooling ({@code F.max_unpool2d}): {@code out = 0; out[plane, argmax[i]] = y[i]}.
     *
     * @param y   values at pooled resolution {@code [N, C, Ho, Wo]}
     * @param out {@code [N, C, H, W]}, the size of the pooling layer's input; fully overwritten
     */
    public static void maxUnpoolForward(INDArray y, int[] argmax, INDArray out) {
        scatter(y, argmax, out, false);
    }

    /** Gradient of {@link #maxUnpoolForward}: {@code dy[i] = dout[plane, argmax[i]]}. */
    public static void maxUnpoolBackward(INDArray dout, int[] argmax, INDArray dy) {
        int planes = (int) (dy.size(0) * dy.size(1));
        int small = (int) (dy.size(2) * dy.size(3));
        int big = (int) (dout.size(2) * dout.size(3));
        Buf src = Buf.of(dout), dst = Buf.of(dy);
        if (src instanceof Buf.F32 sf && dst instanceof Buf.F32 df) {
            Parallel.forEach(planes, big, p -> {
                float[] bigPlane = Scratch.floats(0, big), res = Scratch.floats(1, small);
                sf.readFloats(p * big, bigPlane, 0, big);
                int sBase = p * small;
                for (int i = 0; i < small; i++) {
                    res[i] = bigPlane[argmax[sBase + i]];
                }
                df.writeFloats(sBase, res, 0, small);
            });
            return;
        }
        Parallel.forEach(planes, big, p -> {
            double[] bigPlane = Scratch.get(0, big), res = Scratch.get(1, small);
            src.read(p * big, bigPlane, 0, big);
            int sBase = p * small;
            for (int i = 0; i < small; i++) {
                res[i] = bigPlane[argmax[sBase + i]];
            }
            dst.write(sBase, res, 0, small);
        });
    }

    private static void scatter(INDArray small, int[] argmax, INDArray big, boolean accumulate) {
        int planes = (int) (small.size(0) * small.size(1));
        int s = (int) (small.size(2) * small.size(3));
        int b = (int) (big.size(2) * big.size(3));
        Buf src = Buf.of(small), dst = Buf.of(big);
        if (src instanceof Buf.F32 sf && dst instanceof Buf.F32 df) {
            // Float in, float out; a position that several overlapping windows chose sums in float, as PyTorch does.
            Parallel.forEach(planes, b, p -> {
                float[] values = Scratch.floats(0, s), plane = Scratch.floats(1, b);
                Arrays.fill(plane, 0, b, 0f);
                int sBase = p * s;
                sf.readFloats(sBase, values, 0, s);
                for (int i = 0; i < s; i++) {
                    if (accumulate) {
                        plane[argmax[sBase + i]] += values[i];
                    } else {
                        plane[argmax[sBase + i]] = values[i];
                    }
                }
                df.writeFloats(p * b, plane, 0, b);
            });
            return;
        }
        Parallel.forEach(planes, b, p -> {
            double[] values = Scratch.get(0, s), plane = Scratch.zeros(1, b);
            int sBase = p * s;
            src.read(sBase, values, 0, s);
            for (int i = 0; i < s; i++) {
                if (accumulate) {
                    plane[argmax[sBase + i]] += values[i];
                } else {
                    plane[argmax[sBase + i]] = values[i];
                }
            }
            dst.write(p * b, plane, 0, b);
        });
    }

    /** Identifies an adaptive pooling for {@link PlaneGemm}'s cache. */
    private record Adaptive(int h, int w, int bh, int bw) {
    }

    /** Adaptive pooling as one {@code [bh*bw, h*w]} averaging matrix if {@link PlaneGemm} suits its size, else null. */
    private static INDArray denseAdaptive(DataType type, int h, int w, int bh, int bw) {
        if (!PlaneGemm.suits((long) h * w, (long) bh * bw)) {
            return null;
        }
        return PlaneGemm.kron(type, new Adaptive(h, w, bh, bw), () -> new PlaneGemm.Axis[]{binAxis(h, bh),
                binAxis(w, bw)});
    }

    /** Bin-averaging weights along one axis: {@code bins x len}, row i holding 1/size over bin i's span. */
    private static PlaneGemm.Axis binAxis(int len, int bins) {
        double[] m = new double[bins * len];
        for (int i = 0; i < bins; i++) {
            int a = binStart(i, len, bins), b = binEnd(i, len, bins);
            for (int r = a; r < b; r++) {
                m[i * len + r] = 1.0 / (b - a);
            }
        }
        return new PlaneGemm.Axis(bins, len, m);
    }

    /** First input index of adaptive bin {@code i} of {@code bins} over {@code len}: {@code floor(i * len / bins)}. */
    public static int binStart(int i, int len, int bins) {
        return (int) Math.floorDiv((long) i * len, bins);
    }

    /** One past the last input index of adaptive bin {@code i}: {@code ceil((i + 1) * len / bins)}. */
    public static int binEnd(int i, int len, int bins) {
        return (int) -Math.floorDiv(-(long) (i + 1) * len, bins);
    }

    /**
     * Adaptive average pooling forward ({@code F.adaptive_avg_pool2d}).
     *
     * @param x   {@code [N, C, H, W]}
     * @param out {@code [N, C, bh, bw]}, fully overwritten
     */
    public static void adaptiveAvgPoolForward(INDArray x, INDArray out) {
        int planes = (int) (x.size(0) * x.size(1));
        int h = (int) x.size(2), w = (int) x.size(3);
        int bh = (int) out.size(2), bw = (int) out.size(3);
        INDArray k = denseAdaptive(x.dataType(), h, w, bh, bw);
        if (k != null) {
            PlaneGemm.forward(x, out, k);
            return;
        }
        Buf xb = Buf.of(x), ob = Buf.of(out);
        Parallel.forEach(planes, (long) h * w, p -> {
            double[] plane = Scratch.get(0, h * w);
            xb.read(p * h * w, plane, 0, h * w);
            for (int i = 0; i < bh; i++) {
                int r0 = binStart(i, h, bh), r1 = binEnd(i, h, bh);
                for (int j = 0; j < bw; j++) {
                    int c0 = binStart(j, w, bw), c1 = binEnd(j, w, bw);
                    double sum = 0;
                    for (int r = r0; r < r1; r++) {
                        for (int c = c0; c < c1; c++) {
                            sum += plane[r * w + c];
                        }
                    }
                    ob.set(p * bh * bw + i * bw + j, sum / ((r1 - r0) * (c1 - c0)));
                }
            }
        });
    }

    /**
     * Adaptive average pooling backward: each input pixel receives {@code dy / binArea} from every bin that covers it
     * (bins overlap when the size is not divisible by the bin count).
     *
     * @param dy {@code [N, C, bh, bw]}
     * @param dx {@code [N, C, H, W]}, fully overwritten
     */
    public static void adaptiveAvgPoolBackward(INDArray dy, INDArray dx) {
        int planes = (int) (dx.size(0) * dx.size(1));
        int h = (int) dx.size(2), w = (int) dx.size(3);
        int bh = (int) dy.size(2), bw = (int) dy.size(3);
        INDArray k = denseAdaptive(dy.dataType(), h, w, bh, bw);
        if (k != null) {
            PlaneGemm.backward(dy, dx, k);
            return;
        }
        Buf gb = Buf.of(dy), xb = Buf.of(dx);
        Parallel.forEach(planes, (long) h * w, p -> {
            double[] plane = Scratch.zeros(0, h * w);
            for (int i = 0; i < bh; i++) {
                int r0 = binStart(i, h, bh), r1 = binEnd(i, h, bh);
                for (int j = 0; j < bw; j++) {
                    int c0 = binStart(j, w, bw), c1 = binEnd(j, w, bw);
                    double g = gb.get(p * bh * bw + i * bw + j) / ((r1 - r0) * (c1 - c0));
                    for (int r = r0; r < r1; r++) {
                        for (int c = c0; c < c1; c++) {
                            plane[r * w + c] += g;
                        }
                    }
                }
            }
            xb.write(p * h * w, plane, 0, h * w);
        });
    }
}
