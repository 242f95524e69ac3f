package io.segnet.core.ops;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Depthwise 2-D convolution (one {@code kH x kW} filter per channel, PyTorch's {@code groups = C}) with stride,
 * zero padding and dilation, on NCHW arrays; forward and backward.
 *
 * <p>Implemented as per-channel loops over local copies of each plane, which handles every dilation (libnd4j's
 * {@code depthwise_conv2d} fails for dilation above 1 in the oneDNN build). Work is split by channel so that the
 * weight gradient needs no locking.
 */
public final class DepthwiseOps {
    private DepthwiseOps() {
    }

    /**
     * @param x   {@code [N, C, H, W]}
     * @param w   {@code [C, 1, kH, kW]}
     * @param out {@code [N, C, Ho, Wo]} with {@code Ho = floor((H + 2ph - dh(kH-1) - 1)/sh) + 1}; fully overwritten
     */
    public static void forward(INDArray x, INDArray w, INDArray out, int sh, int sw, int ph, int pw, int dh, int dw) {
        int n = (int) x.size(0), ch = (int) x.size(1), h = (int) x.size(2), wd = (int) x.size(3);
        int kh = (int) w.size(2), kw = (int) w.size(3);
        int oh = (int) out.size(2), ow = (int) out.size(3);
        int hp = h + 2 * ph, wp = wd + 2 * pw;
        Buf xb = Buf.of(x), wb = Buf.of(w), ob = Buf.of(out);
        Parallel.forEach(ch, (long) n * oh * ow * kh * kw, c -> {
            double[] xp = new double[hp * wp];
            double[] acc = new double[oh * ow];
            double[] wt = new double[kh * kw];
            for (int t = 0; t < kh * kw; t++) {
                wt[t] = wb.get(c * kh * kw + t);
            }
            for (int img = 0; img < n; img++) {
                int base = (img * ch + c) * h * wd;
                for (int r = 0; r < h; r++) {
                    for (int col = 0; col < wd; col++) {
                        xp[(r + ph) * wp + col + pw] = xb.get(base + r * wd + col);
                    }
                }
                java.util.Arrays.fill(acc, 0.0);
                for (int a = 0; a < kh; a++) {
                    for (int b = 0; b < kw; b++) {
                        double wv = wt[a * kw + b];
                        for (int i = 0; i < oh; i++) {
                            int src = (i * sh + a * dh) * wp + b * dw, dst = i * ow;
                            for (int j = 0; j < ow; j++) {
                                acc[dst + j] += wv * xp[src + j * sw];
                            }
                        }
                    }
                }
                int obase = (img * ch + c) * oh * ow;
                for (int k = 0; k < oh * ow; k++) {
                    ob.set(obase + k, acc[k]);
                }
            }
        });
    }

    /** Overwrites {@code dx} ({@code [N, C, H, W]}) and {@code dW} ({@code [C, 1, kH, kW]}). */
    public static void backward(INDArray x, INDArray w, INDArray dy, INDArray dx, INDArray dW, int sh, int sw, int ph,
                                int pw, int dh, int dw) {
        int n = (int) x.size(0), ch = (int) x.size(1), h = (int) x.size(2), wd = (int) x.size(3);
        int kh = (int) w.size(2), kw = (int) w.size(3);
        int oh = (int) dy.size(2), ow = (int) dy.size(3);
        int hp = h + 2 * ph, wp = wd + 2 * pw;
        Buf xb = Buf.of(x), wb = Buf.of(w), gb = Buf.of(dy), dxb = Buf.of(dx), dwb = Buf.of(dW);
        Parallel.forEach(ch, (long) n * oh * ow * kh * kw * 2, c -> {
            double[] xp = new double[hp * wp];
            double[] dxp = new double[hp * wp];
            double[] g = new double[oh * ow];
            double[] wt = new double[kh * kw];
            double[] gw = new double[kh * kw];
            for (int t = 0; t < kh * kw; t++) {
                wt[t] = wb.get(c * kh * kw + t);
            }
            for (int img = 0; img < n; img++) {
                int base = (img * ch + c) * h * wd;
                for (int r = 0; r < h; r++) {
                    for (int col = 0; col < wd; col++) {
                        xp[(r + ph) * wp + col + pw] = xb.get(base + r * wd + col);
                    }
                }
                int gbase = (img * ch + c) * oh * ow;
                for (int k = 0; k < oh * ow; k++) {
                    g[k] = gb.get(gbase + k);
                }
                java.util.Arrays.fill(dxp, 0.0);
                for (int a = 0; a < kh; a++) {
                    for (int b = 0; b < kw; b++) {
                        double wv = wt[a * kw + b];
                        double s = 0;
                        for (int i = 0; i < oh; i++) {
                            int src = (i * sh + a * dh) * wp + b * dw, dst = i * ow;
                            for (int j = 0; j < ow; j++) {
                                double gv = g[dst + j];
                                dxp[src + j * sw] += wv * gv;
                                s += xp[src + j * sw] * gv;
                            }
                        }
                        gw[a * kw + b] += s;
                    }
                }
                for (int r = 0; r < h; r++) {
                    for (int col = 0; col < wd; col++) {
                        dxb.set(base + r * wd + col, dxp[(r + ph) * wp + col + pw]);
                    }
                }
            }
            for (int t = 0; t < kh * kw; t++) {
                dwb.set(c * kh * kw + t, gw[t]);
            }
        });
    }
}
