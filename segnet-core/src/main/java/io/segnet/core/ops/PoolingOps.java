package io.segnet.core.ops;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Max pooling that records argmax positions, max unpooling through them, and adaptive average pooling, on NCHW arrays.
 *
 * <p>Semantics follow PyTorch: {@code F.max_pool2d(return_indices=True)} (padding counts as -inf, the first maximum
 * in row-major window order wins, an index is {@code h * W + w} within the input plane), {@code F.max_unpool2d}, and
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
        Buf xb = Buf.of(x), ob = Buf.of(out);
        Parallel.forEach(planes, (long) oh * ow * kh * kw, p -> {
            double[] plane = Scratch.get(0, h * w), res = Scratch.get(1, oh * ow);
            xb.read(p * h * w, plane, 0, h * w);
            int oBase = p * oh * ow;
            if (kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0) {
                // The common 2x2 / stride 2 case: four candidates in row-major window order.
                for (int i = 0; i < oh; i++) {
                    int r0 = 2 * i * w, r1 = r0 + w;
                    for (int j = 0; j < ow; j++) {
                        int c = 2 * j;
                        double best = plane[r0 + c];
                        int bestIdx = r0 + c;
                        double v = plane[r0 + c + 1];
                        if (v > best || v != v && best == best) {
                            best = v;
                            bestIdx = r0 + c + 1;
                        }
                        v = plane[r1 + c];
                        if (v > best || v != v && best == best) {
                            best = v;
                            bestIdx = r1 + c;
                        }
                        v = plane[r1 + c + 1];
                        if (v > best || v != v && best == best) {
                            best = v;
                            bestIdx = r1 + c + 1;
                        }
                        res[i * ow + j] = best;
                        argmax[oBase + i * ow + j] = bestIdx;
                    }
                }
            } else {
                for (int i = 0; i < oh; i++) {
                    int h0 = Math.max(i * sh - ph, 0), h1 = Math.min(i * sh - ph + kh, h);
                    for (int j = 0; j < ow; j++) {
                        int w0 = Math.max(j * sw - pw, 0), w1 = Math.min(j * sw - pw + kw, w);
                        double best = Double.NEGATIVE_INFINITY;
                        int bestIdx = h0 * w + w0;
                        for (int r = h0; r < h1; r++) {
                            int row = r * w;
                            for (int c = w0; c < w1; c++) {
                                double v = plane[row + c];
                                // PyTorch's rule: a larger value or a NaN replaces the maximum; a NaN, once taken, stays.
                                if (v > best || v != v && best == best) {
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
            ob.write(oBase, res, 0, oh * ow);
        });
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
