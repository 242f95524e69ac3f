package io.segnet.core.engine.kernels;

import io.segnet.core.runtime.Parallel;
import io.segnet.core.runtime.Scratch;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Batch normalisation over the channel axis of NCHW arrays (Ioffe and Szegedy 2015), with PyTorch's
 * {@code BatchNorm2d} semantics: training mode normalises with the batch's mean and biased variance and updates the
 * running statistics as {@code running = (1 - momentum) running + momentum batch} (the running variance takes the
 * unbiased batch variance); inference mode normalises with the running statistics. An optional ReLU is fused.
 */
public final class BatchNormOps {
    private BatchNormOps() {
    }

    /** Per-channel statistics of one training-mode forward pass, kept for the backward pass. */
    public record BatchStats(double[] mean, double[] invStd) {
    }

    /** Reads channel {@code c} of every image ({@code n} planes of {@code hw}) into {@code dst}. */
    private static void readChannel(Buf b, int c, int n, int ch, int hw, double[] dst) {
        for (int img = 0; img < n; img++) {
            b.read((img * ch + c) * hw, dst, img * hw, hw);
        }
    }

    private static void writeChannel(Buf b, int c, int n, int ch, int hw, double[] src) {
        for (int img = 0; img < n; img++) {
            b.write((img * ch + c) * hw, src, img * hw, hw);
        }
    }

    /**
     * Training-mode forward pass.
     *
     * @param x           {@code [N, C, H, W]}
     * @param gamma       scale, {@code C} elements; {@code beta} shift, {@code C} elements
     * @param runningMean updated in place (may be null); {@code runningVar} likewise
     * @param out         {@code [N, C, H, W]}, fully overwritten
     * @return the batch statistics used
     */
    public static BatchStats forwardTraining(INDArray x, INDArray gamma, INDArray beta, INDArray runningMean,
                                             INDArray runningVar, double momentum, double eps, boolean relu,
                                             INDArray out) {
        int n = (int) x.size(0), ch = (int) x.size(1), hw = (int) (x.size(2) * x.size(3));
        int m = n * hw;
        Buf xb = Buf.of(x), ob = Buf.of(out), gb = Buf.of(gamma), bb = Buf.of(beta);
        double[] mean = new double[ch], invStd = new double[ch], var = new double[ch];
        Parallel.forEach(ch, 4L * m, c -> {
            double[] v = Scratch.get(0, m);
            readChannel(xb, c, n, ch, hw, v);
            // Shifted sums: accurate in double for any realistic activation range.
            double shift = v[0], s = 0, s2 = 0;
            for (int k = 0; k < m; k++) {
                double d = v[k] - shift;
                s += d;
                s2 += d * d;
            }
            double mu = s / m;
            var[c] = Math.max(s2 / m - mu * mu, 0.0);
            mean[c] = mu + shift;
            invStd[c] = 1.0 / Math.sqrt(var[c] + eps);
            double scale = gb.get(c) * invStd[c], offset = bb.get(c) - mean[c] * scale;
            for (int k = 0; k < m; k++) {
                double y = v[k] * scale + offset;
                v[k] = relu && y < 0 ? 0.0 : y;
            }
            writeChannel(ob, c, n, ch, hw, v);
        });
        if (runningMean != null) {
            Buf rm = Buf.of(runningMean), rv = Buf.of(runningVar);
            double unbias = m > 1 ? (double) m / (m - 1) : 1.0;
            for (int c = 0; c < ch; c++) {
                rm.set(c, (1 - momentum) * rm.get(c) + momentum * mean[c]);
                rv.set(c, (1 - momentum) * rv.get(c) + momentum * var[c] * unbias);
            }
        }
        return new BatchStats(mean, invStd);
    }

    /** Inference-mode forward pass with the running statistics. */
    public static void forwardInference(INDArray x, INDArray gamma, INDArray beta, INDArray runningMean,
                                        INDArray runningVar, double eps, boolean relu, INDArray out) {
        int n = (int) x.size(0), ch = (int) x.size(1), hw = (int) (x.size(2) * x.size(3));
        int m = n * hw;
        Buf xb = Buf.of(x), ob = Buf.of(out), gb = Buf.of(gamma), bb = Buf.of(beta);
        Buf rm = Buf.of(runningMean), rv = Buf.of(runningVar);
        Parallel.forEach(ch, 2L * m, c -> {
            double scale = gb.get(c) / Math.sqrt(rv.get(c) + eps), offset = bb.get(c) - rm.get(c) * scale;
            double[] v = Scratch.get(0, m);
            readChannel(xb, c, n, ch, hw, v);
            for (int k = 0; k < m; k++) {
                double y = v[k] * scale + offset;
                v[k] = relu && y < 0 ? 0.0 : y;
            }
            writeChannel(ob, c, n, ch, hw, v);
        });
    }

    /**
     * Training-mode backward pass (gradients flow through the batch statistics).
     *
     * @param out the forward output (needed only when {@code relu} is fused, to mask the gradient)
     * @param dx  {@code [N, C, H, W]}, fully overwritten; {@code dGamma}, {@code dBeta}: {@code C} elements, overwritten
     */
    public static void backwardTraining(INDArray x, INDArray gamma, BatchStats stats, boolean relu, INDArray out,
                                        INDArray dy, INDArray dx, INDArray dGamma, INDArray dBeta) {
        backward(x, gamma, stats.mean(), stats.invStd(), true, relu, out, dy, dx, dGamma, dBeta);
    }

    /** Inference-mode backward pass (statistics fixed): {@code dx = dy * gamma / sqrt(runningVar + eps)}. */
    public static void backwardInference(INDArray x, INDArray gamma, INDArray runningMean, INDArray runningVar,
                                         double eps, boolean relu, INDArray out, INDArray dy, INDArray dx,
                                         INDArray dGamma, INDArray dBeta) {
        int ch = (int) x.size(1);
        double[] mean = runningMean.reshape(ch).toDoubleVector(), invStd = runningVar.reshape(ch).toDoubleVector();
        for (int c = 0; c < ch; c++) {
            invStd[c] = 1.0 / Math.sqrt(invStd[c] + eps);
        }
        backward(x, gamma, mean, invStd, false, relu, out, dy, dx, dGamma, dBeta);
    }

    private static void backward(INDArray x, INDArray gamma, double[] mean, double[] invStd, boolean batchStats,
                                 boolean relu, INDArray out, INDArray dy, INDArray dx, INDArray dGamma,
                                 INDArray dBeta) {
        int n = (int) x.size(0), ch = (int) x.size(1), hw = (int) (x.size(2) * x.size(3));
        int m = n * hw;
        Buf xb = Buf.of(x), gb = Buf.of(gamma), dyb = Buf.of(dy), dxb = Buf.of(dx);
        Buf ob = relu ? Buf.of(out) : null;
        Buf dgb = Buf.of(dGamma), dbb = Buf.of(dBeta);
        Parallel.forEach(ch, 6L * m, c -> {
            double[] xs = Scratch.get(0, m), g = Scratch.get(1, m);
            readChannel(xb, c, n, ch, hw, xs);
            readChannel(dyb, c, n, ch, hw, g);
            if (relu) {
                double[] o = Scratch.get(2, m);
                readChannel(ob, c, n, ch, hw, o);
                for (int k = 0; k < m; k++) {
                    if (o[k] <= 0) {
                        g[k] = 0;
                    }
                }
            }
            double mu = mean[c], is = invStd[c];
            double sumDy = 0, sumDyXhat = 0;
            for (int k = 0; k < m; k++) {
                sumDy += g[k];
                sumDyXhat += g[k] * (xs[k] - mu);
            }
            sumDyXhat *= is;
            dgb.set(c, sumDyXhat);
            dbb.set(c, sumDy);
            double gs = gb.get(c) * is;
            if (batchStats) {
                double meanDy = sumDy / m, k2 = is * sumDyXhat / m;
                for (int k = 0; k < m; k++) {
                    g[k] = gs * (g[k] - meanDy - (xs[k] - mu) * k2);
                }
            } else {
                for (int k = 0; k < m; k++) {
                    g[k] = gs * g[k];
                }
            }
            writeChannel(dxb, c, n, ch, hw, g);
        });
    }
}
