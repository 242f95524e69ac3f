package io.segnet.core.ops;

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
        long m = (long) n * hw;
        Buf xb = Buf.of(x), ob = Buf.of(out), gb = Buf.of(gamma), bb = Buf.of(beta);
        double[] mean = new double[ch], invStd = new double[ch], var = new double[ch];
        Parallel.forEach(ch, 2L * m, c -> {
            // Shifted sums: exact in double for any realistic activation range.
            double shift = xb.get(c * hw);
            double s = 0, s2 = 0;
            for (int img = 0; img < n; img++) {
                int base = (img * ch + c) * hw;
                for (int k = 0; k < hw; k++) {
                    double v = xb.get(base + k) - shift;
                    s += v;
                    s2 += v * v;
                }
            }
            double mu = s / m;
            double v = Math.max(s2 / m - mu * mu, 0.0);
            mean[c] = mu + shift;
            var[c] = v;
            invStd[c] = 1.0 / Math.sqrt(v + eps);
            double scale = gb.get(c) * invStd[c], offset = bb.get(c) - mean[c] * scale;
            for (int img = 0; img < n; img++) {
                int base = (img * ch + c) * hw;
                for (int k = 0; k < hw; k++) {
                    double y = xb.get(base + k) * scale + offset;
                    ob.set(base + k, relu && y < 0 ? 0.0 : y);
                }
            }
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
        Buf xb = Buf.of(x), ob = Buf.of(out), gb = Buf.of(gamma), bb = Buf.of(beta);
        Buf rm = Buf.of(runningMean), rv = Buf.of(runningVar);
        Parallel.forEach(ch, (long) n * hw, c -> {
            double scale = gb.get(c) / Math.sqrt(rv.get(c) + eps), offset = bb.get(c) - rm.get(c) * scale;
            for (int img = 0; img < n; img++) {
                int base = (img * ch + c) * hw;
                for (int k = 0; k < hw; k++) {
                    double y = xb.get(base + k) * scale + offset;
                    ob.set(base + k, relu && y < 0 ? 0.0 : y);
                }
            }
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
        int n = (int) x.size(0), ch = (int) x.size(1), hw = (int) (x.size(2) * x.size(3));
        long m = (long) n * hw;
        Buf xb = Buf.of(x), gb = Buf.of(gamma), dyb = Buf.of(dy), dxb = Buf.of(dx);
        Buf ob = relu ? Buf.of(out) : null;
        Buf dgb = Buf.of(dGamma), dbb = Buf.of(dBeta);
        Parallel.forEach(ch, 2L * m, c -> {
            double mu = stats.mean()[c], is = stats.invStd()[c];
            double sumDy = 0, sumDyXhat = 0;
            for (int img = 0; img < n; img++) {
                int base = (img * ch + c) * hw;
                for (int k = 0; k < hw; k++) {
                    double g = dyb.get(base + k);
                    if (relu && ob.get(base + k) <= 0) {
                        g = 0;
                    }
                    sumDy += g;
                    sumDyXhat += g * (xb.get(base + k) - mu) * is;
                }
            }
            dgb.set(c, sumDyXhat);
            dbb.set(c, sumDy);
            double gam = gb.get(c);
            double meanDy = sumDy / m, meanDyXhat = sumDyXhat / m;
            for (int img = 0; img < n; img++) {
                int base = (img * ch + c) * hw;
                for (int k = 0; k < hw; k++) {
                    double g = dyb.get(base + k);
                    if (relu && ob.get(base + k) <= 0) {
                        g = 0;
                    }
                    double xhat = (xb.get(base + k) - mu) * is;
                    dxb.set(base + k, gam * is * (g - meanDy - xhat * meanDyXhat));
                }
            }
        });
    }

    /** Inference-mode backward pass (statistics fixed): {@code dx = dy * gamma / sqrt(runningVar + eps)}. */
    public static void backwardInference(INDArray x, INDArray gamma, INDArray runningMean, INDArray runningVar,
                                         double eps, boolean relu, INDArray out, INDArray dy, INDArray dx,
                                         INDArray dGamma, INDArray dBeta) {
        int n = (int) x.size(0), ch = (int) x.size(1), hw = (int) (x.size(2) * x.size(3));
        Buf xb = Buf.of(x), gb = Buf.of(gamma), dyb = Buf.of(dy), dxb = Buf.of(dx);
        Buf rm = Buf.of(runningMean), rv = Buf.of(runningVar);
        Buf ob = relu ? Buf.of(out) : null;
        Buf dgb = Buf.of(dGamma), dbb = Buf.of(dBeta);
        Parallel.forEach(ch, (long) n * hw, c -> {
            double is = 1.0 / Math.sqrt(rv.get(c) + eps), mu = rm.get(c), gam = gb.get(c);
            double sumDy = 0, sumDyXhat = 0;
            for (int img = 0; img < n; img++) {
                int base = (img * ch + c) * hw;
                for (int k = 0; k < hw; k++) {
                    double g = dyb.get(base + k);
                    if (relu && ob.get(base + k) <= 0) {
                        g = 0;
                    }
                    sumDy += g;
                    sumDyXhat += g * (xb.get(base + k) - mu) * is;
                    dxb.set(base + k, g * gam * is);
                }
            }
            dgb.set(c, sumDyXhat);
            dbb.set(c, sumDy);
        });
    }
}
