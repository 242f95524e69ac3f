package io.segnet.core.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Atrous (dilated) convolution, stride 1, on NCHW arrays, as one GEMM plus shifted additions; exact, for any rate and
 * any input size.
 *
 * <p>A {@code kH x kW} convolution with dilation {@code d} is the sum of {@code kH*kW} shifted {@code 1x1}
 * convolutions: {@code y[o,i,j] = b[o] + sum_{a,c} (W_ac x)[o, i - p + a d, j - p + c d]}. Per image, one GEMM
 * {@code Z = W_all X} with {@code W_all = [kH*kW*oC, iC]} and {@code X = [iC, H*W]} computes every tap at every
 * position; the output adds the taps' planes at their offsets (zero outside the input, which is the zero padding).
 * The backward pass gathers {@code dZ} from {@code dy} at the same offsets and runs two GEMMs:
 * {@code dX = W_all^T dZ}, {@code dW_all += dZ X^T}.
 *
 * <p>This replaces libnd4j's dilated {@code conv2d}, which fails in the oneDNN build ("could not create a descriptor
 * for a dilated convolution").
 */
public final class AtrousOps {
    private AtrousOps() {
    }

    /** {@code [oC, iC, kH, kW]} to {@code [kH*kW*oC, iC]}, row {@code (a*kW + c)*oC + o}. */
    private static INDArray tapMajor(INDArray w) {
        long oc = w.size(0), ic = w.size(1), kh = w.size(2), kw = w.size(3);
        return w.permute(2, 3, 0, 1).dup('c').reshape('c', kh * kw * oc, ic);
    }

    /**
     * Forward pass.
     *
     * @param x   {@code [N, iC, H, W]}, contiguous
     * @param w   {@code [oC, iC, kH, kW]}
     * @param b   {@code [oC]} (any shape of that length) or null
     * @param out {@code [N, oC, H + 2ph - d(kH-1), W + 2pw - d(kW-1)]}, fully overwritten
     */
    public static void forward(INDArray x, INDArray w, INDArray b, INDArray out, int ph, int pw, int dh, int dw) {
        int n = (int) x.size(0), ic = (int) x.size(1), h = (int) x.size(2), wd = (int) x.size(3);
        int oc = (int) w.size(0), kh = (int) w.size(2), kw = (int) w.size(3);
        int oh = (int) out.size(2), ow = (int) out.size(3);
        INDArray wAll = tapMajor(w);
        INDArray z = Nd4j.createUninitialized(x.dataType(), (long) kh * kw * oc, (long) h * wd);
        double[] bias = b == null ? new double[oc] : b.reshape(b.length()).toDoubleVector();
        Buf zb = Buf.of(z), ob = Buf.of(out);
        for (int img = 0; img < n; img++) {
            INDArray xi = x.slice(img).reshape('c', ic, (long) h * wd);
            Nd4j.gemm(wAll, xi, z, false, false, 1.0, 0.0);
            int outBase = img * oc * oh * ow;
            Parallel.forEach(oc, (long) kh * kw * h * wd, o -> {
                double[] acc = Scratch.get(0, oh * ow), zp = Scratch.get(1, h * wd);
                java.util.Arrays.fill(acc, 0, oh * ow, bias[o]);
                for (int a = 0; a < kh; a++) {
                    int dr = a * dh - ph;
                    int i0 = Math.max(0, -dr), i1 = Math.min(oh, h - dr);
                    for (int c = 0; c < kw; c++) {
                        int dc = c * dw - pw;
                        int j0 = Math.max(0, -dc), j1 = Math.min(ow, wd - dc);
                        if (i1 <= i0 || j1 <= j0) {
                            continue;
                        }
                        zb.read(((a * kw + c) * oc + o) * h * wd, zp, 0, h * wd);
                        for (int i = i0; i < i1; i++) {
                            int zRow = (i + dr) * wd + dc, aRow = i * ow;
                            for (int j = j0; j < j1; j++) {
                                acc[aRow + j] += zp[zRow + j];
                            }
                        }
                    }
                }
                ob.write(outBase + o * oh * ow, acc, 0, oh * ow);
            });
        }
    }

    /**
     * Backward pass: overwrites {@code dx} {@code [N, iC, H, W]}, {@code dW} {@code [oC, iC, kH, kW]} and, if
     * non-null, {@code db} ({@code oC} elements).
     */
    public static void backward(INDArray x, INDArray w, INDArray dy, INDArray dx, INDArray dW, INDArray db, int ph,
                                int pw, int dh, int dw) {
        int n = (int) x.size(0), ic = (int) x.size(1), h = (int) x.size(2), wd = (int) x.size(3);
        int oc = (int) w.size(0), kh = (int) w.size(2), kw = (int) w.size(3);
        int oh = (int) dy.size(2), ow = (int) dy.size(3);
        INDArray wAll = tapMajor(w);
        INDArray dz = Nd4j.createUninitialized(x.dataType(), (long) kh * kw * oc, (long) h * wd);
        INDArray dwAll = Nd4j.zeros(x.dataType(), (long) kh * kw * oc, ic);
        Buf zb = Buf.of(dz), gb = Buf.of(dy);
        for (int img = 0; img < n; img++) {
            int gBase = img * oc * oh * ow;
            Parallel.forEach(kh * kw * oc, (long) h * wd, row -> {
                int o = row % oc, tap = row / oc, a = tap / kw, c = tap % kw;
                int dr = a * dh - ph, dc = c * dw - pw;
                double[] g = Scratch.get(0, oh * ow), zp = Scratch.zeros(1, h * wd);
                gb.read(gBase + o * oh * ow, g, 0, oh * ow);
                // dZ[r, col] = dy[r - dr, col - dc] where that is inside dy; 0 elsewhere.
                int r0 = Math.max(0, dr), r1 = Math.min(h, oh + dr);
                int c0 = Math.max(0, dc), c1 = Math.min(wd, ow + dc);
                for (int r = r0; r < r1; r++) {
                    int src = (r - dr) * ow - dc, dst = r * wd;
                    for (int col = c0; col < c1; col++) {
                        zp[dst + col] = g[src + col];
                    }
                }
                zb.write(row * h * wd, zp, 0, h * wd);
            });
            INDArray xi = x.slice(img).reshape('c', ic, (long) h * wd);
            INDArray dxi = dx.slice(img).reshape('c', ic, (long) h * wd);
            Nd4j.gemm(wAll, dz, dxi, true, false, 1.0, 0.0);
            Nd4j.gemm(dz, xi, dwAll, false, true, 1.0, 1.0);
        }
        dW.assign(dwAll.reshape('c', kh, kw, oc, ic).permute(2, 3, 0, 1));
        if (db != null) {
            db.reshape(db.length()).assign(dy.sum(0, 2, 3));
        }
    }
}
