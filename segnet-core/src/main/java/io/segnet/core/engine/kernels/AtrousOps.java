package io.segnet.core.engine.kernels;

import io.segnet.core.runtime.Blas;
import io.segnet.core.runtime.Parallel;
import io.segnet.core.runtime.Scratch;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Atrous (dilated) convolution, stride 1, on NCHW arrays: exact for any rate and any input size, as one GEMM per
 * kernel tap on a padded copy of each image.
 *
 * <p>Each image is zero-padded to {@code Hp x Wp = (H + 2ph) x (W + 2pw)} and stored row after row, channel after
 * channel. In that layout, the input seen by tap {@code (a, c)} at output position {@code (i, j)} is at flat offset
 * {@code (i + a dh) Wp + j + c dw}: every tap is the same matrix shifted by {@code t = a dh Wp + c dw}. So
 * {@code Y'[:, 0 : Ho Wp] += W_ac X'[:, t : t + Ho Wp]} for each tap, where {@code Y'} is the output on a
 * {@code Ho x Wp} grid whose last {@code Wp - Wo} columns of each row are discarded. The backward pass uses the same
 * windows: {@code dX'[:, t : ...] += W_ac^T dY'} and {@code dW_ac += dY' X'[:, t : ...]^T}, with the discarded columns
 * of {@code dY'} set to zero. All GEMMs read and write the buffers in place through {@link Blas}.
 *
 * <p>This replaces libnd4j's dilated {@code conv2d}, which fails in the oneDNN build ("could not create a descriptor
 * for a dilated convolution"). Extra work: {@code Wp / Wo} times the FLOPs of the convolution.
 */
public final class AtrousOps {
    private AtrousOps() {
    }

    /** Geometry of one call. */
    private record Geometry(int n, int ic, int h, int w, int oc, int kh, int kw, int ph, int pw, int dh, int dw,
                            int oh, int ow, int hp, int wp, int channelStride, int window) {
        static Geometry of(INDArray x, INDArray weights, int ph, int pw, int dh, int dw) {
            int n = (int) x.size(0), ic = (int) x.size(1), h = (int) x.size(2), w = (int) x.size(3);
            int oc = (int) weights.size(0), kh = (int) weights.size(2), kw = (int) weights.size(3);
            int hp = h + 2 * ph, wp = w + 2 * pw;
            int oh = hp - dh * (kh - 1), ow = wp - dw * (kw - 1);
            // The last tap's window ends (kw - 1) dw elements past the padded plane: room for it after each channel.
            return new Geometry(n, ic, h, w, oc, kh, kw, ph, pw, dh, dw, oh, ow, hp, wp, hp * wp + (kw - 1) * dw,
                    oh * wp);
        }

        int tapOffset(int a, int c) {
            return a * dh * wp + c * dw;
        }
    }

    /** {@code [oC, iC, kH, kW]} to {@code [kH*kW, oC, iC]}: one contiguous {@code oC x iC} matrix per tap. */
    private static INDArray tapMajor(INDArray w) {
        return w.permute(2, 3, 0, 1).dup('c');
    }

    /** Copies image {@code img} of x into the interior of the padded buffer (whose border stays zero). */
    private static void pad(Buf x, int img, Geometry g, Buf xp) {
        for (int c = 0; c < g.ic; c++) {
            int src = (img * g.ic + c) * g.h * g.w, dst = c * g.channelStride + g.ph * g.wp + g.pw;
            for (int r = 0; r < g.h; r++) {
                x.copyTo(src + r * g.w, xp, dst + r * g.wp, g.w);
            }
        }
    }

    /**
     * Forward pass.
     *
     * @param x   {@code [N, iC, H, W]}, contiguous
     * @param w   {@code [oC, iC, kH, kW]}
     * @param b   {@code [oC]} (any shape of that length) or null
     * @param out {@code [N, oC, H + 2ph - dh(kH-1), W + 2pw - dw(kW-1)]}, fully overwritten
     */
    public static void forward(INDArray x, INDArray w, INDArray b, INDArray out, int ph, int pw, int dh, int dw) {
        Geometry g = Geometry.of(x, w, ph, pw, dh, dw);
        INDArray taps = tapMajor(w);
        INDArray xp = Nd4j.create(x.dataType(), (long) g.ic * g.channelStride);
        INDArray yp = Nd4j.createUninitialized(x.dataType(), (long) g.oc * g.window);
        double[] bias = b == null ? new double[g.oc] : b.reshape(b.length()).toDoubleVector();
        Buf xb = Buf.of(x), xpb = Buf.of(xp), ypb = Buf.of(yp), ob = Buf.of(out);
        for (int img = 0; img < g.n; img++) {
            pad(xb, img, g, xpb);
            for (int a = 0; a < g.kh; a++) {
                for (int c = 0; c < g.kw; c++) {
                    Blas.gemm(false, false, g.oc, g.window, g.ic, 1.0, taps, (long) (a * g.kw + c) * g.oc * g.ic,
                            g.ic, xp, g.tapOffset(a, c), g.channelStride, a == 0 && c == 0 ? 0.0 : 1.0, yp, 0,
                            g.window);
                }
            }
            int base = img * g.oc * g.oh * g.ow;
            Parallel.forEach(g.oc, (long) g.oh * g.ow, o -> {
                double[] row = Scratch.get(0, g.ow);
                for (int i = 0; i < g.oh; i++) {
                    ypb.read(o * g.window + i * g.wp, row, 0, g.ow);
                    for (int j = 0; j < g.ow; j++) {
                        row[j] += bias[o];
                    }
                    ob.write(base + (o * g.oh + i) * g.ow, row, 0, g.ow);
                }
            });
        }
    }

    /**
     * Backward pass: overwrites {@code dx} {@code [N, iC, H, W]}, {@code dW} {@code [oC, iC, kH, kW]} and, if
     * non-null, {@code db} ({@code oC} elements).
     */
    public static void backward(INDArray x, INDArray w, INDArray dy, INDArray dx, INDArray dW, INDArray db, int ph,
                                int pw, int dh, int dw) {
        Geometry g = Geometry.of(x, w, ph, pw, dh, dw);
        INDArray taps = tapMajor(w);
        INDArray xp = Nd4j.create(x.dataType(), (long) g.ic * g.channelStride);
        INDArray dxp = Nd4j.createUninitialized(x.dataType(), (long) g.ic * g.channelStride);
        INDArray dyp = Nd4j.create(x.dataType(), (long) g.oc * g.window);
        INDArray dTaps = Nd4j.create(x.dataType(), (long) g.kh * g.kw * g.oc * g.ic);
        Buf xb = Buf.of(x), xpb = Buf.of(xp), dxpb = Buf.of(dxp), dypb = Buf.of(dyp), gb = Buf.of(dy), dxb = Buf.of(dx);
        for (int img = 0; img < g.n; img++) {
            pad(xb, img, g, xpb);
            int base = img * g.oc * g.oh * g.ow;
            // dY' on the Ho x Wp grid; the discarded columns stay zero.
            for (int o = 0; o < g.oc; o++) {
                for (int i = 0; i < g.oh; i++) {
                    gb.copyTo(base + (o * g.oh + i) * g.ow, dypb, o * g.window + i * g.wp, g.ow);
                }
            }
            dxp.assign(0.0);
            for (int a = 0; a < g.kh; a++) {
                for (int c = 0; c < g.kw; c++) {
                    long tap = (long) (a * g.kw + c) * g.oc * g.ic;
                    int t = g.tapOffset(a, c);
                    Blas.gemm(true, false, g.ic, g.window, g.oc, 1.0, taps, tap, g.ic, dyp, 0, g.window, 1.0, dxp, t,
                            g.channelStride);
                    Blas.gemm(false, true, g.oc, g.ic, g.window, 1.0, dyp, 0, g.window, xp, t, g.channelStride, 1.0,
                            dTaps, tap, g.ic);
                }
            }
            for (int c = 0; c < g.ic; c++) {
                int src = c * g.channelStride + g.ph * g.wp + g.pw, dst = (img * g.ic + c) * g.h * g.w;
                for (int r = 0; r < g.h; r++) {
                    dxpb.copyTo(src + r * g.wp, dxb, dst + r * g.w, g.w);
                }
            }
        }
        dW.assign(dTaps.reshape('c', g.kh, g.kw, g.oc, g.ic).permute(2, 3, 0, 1));
        if (db != null) {
            db.reshape(db.length()).assign(dy.sum(0, 2, 3));
        }
    }
}
