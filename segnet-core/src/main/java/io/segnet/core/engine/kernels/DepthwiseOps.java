package io.segnet.core.engine.kernels;

import io.segnet.core.runtime.Parallel;
import io.segnet.core.runtime.Scratch;

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
            double[] xp = Scratch.zeros(0, hp * wp);
            double[] acc = Scratch.get(1, oh * ow);
            double[] wt = new double[kh * kw];
            wb.read(c * kh * kw, wt, 0, kh * kw);
            for (int img = 0; img < n; img++) {
                int base = (img * ch + c) * h * wd;
                for (int r = 0; r < h; r++) {
                    xb.read(base + r * wd, xp, (r + ph) * wp + pw, wd);
                }
                java.util.Arrays.fill(acc, 0, oh * ow, 0.0);
                for (int a = 0; a < kh; a++) {
                    for (int b = 0; b < kw; b++) {
                        double wv = wt[a * kw + b];
                        for (int i = 0; i < oh; i++) {
                            int src = (i * sh + a * dh) * wp + b * dw, dst = i * ow;
                            if (sw == 1) {
                                for (int j = 0; j < ow; j++) {
                                    acc[dst + j] += wv * xp[src + j];
                                }
                            } else {
                                for (int j = 0; j < ow; j++) {
                                    acc[dst + j] += wv * xp[src + j * sw];
                                }
                            }
                        }
                    }
                }
                ob.write((img * ch + c) * oh * ow, acc, 0, oh * ow);
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
            double[] xp = Scratch.zeros(0, hp * wp);
            double[] dxp = Scratch.get(1, hp * wp);
            double[] g = Scratch.get(2, oh * ow);
            double[] wt = new double[kh * kw];
            double[] gw = new double[kh * kw];
            wb.read(c * kh * kw, wt, 0, kh * kw);
            for (int img = 0; img < n; img++) {
                int base = (img * ch + c) * h * wd;
                for (int r = 0; r < h; r++) {
                    xb.read(base + r * wd, xp, (r + ph) * wp + pw, wd);
                }
                gb.read((img * ch + c) * oh * ow, g, 0, oh * ow);
                java.util.Arrays.fill(dxp, 0, hp * wp, 0.0);
                for (int a = 0; a < kh; a++) {
                    for (int b = 0; b < kw; b++) {
                        double wv = wt[a * kw + b];
                        double s = 0;
                        for (int i = 0; i < oh; i++) {
                            int src = (i * sh + a * dh) * wp + b * dw, dst = i * ow;
                            if (sw == 1) {
                                for (int j = 0; j < ow; j++) {
                                    dxp[src + j] += wv * g[dst + j];
                                }
                                for (int j = 0; j < ow; j++) {
                                    s += xp[src + j] * g[dst + j];
                                }
                            } else {
                                for (int j = 0; j < ow; j++) {
                                    double gv = g[dst + j];
                                    dxp[src + j * sw] += wv * gv;
                                    s += xp[src + j * sw] * gv;
                                }
                            }
                        }
                        gw[a * kw + b] += s;
                    }
                }
                for (int r = 0; r < h; r++) {
                    dxb.write(base + r * wd, dxp, (r + ph) * wp + pw, wd);
                }
            }
            dwb.write(c * kh * kw, gw, 0, kh * kw);
        });
    }
}
