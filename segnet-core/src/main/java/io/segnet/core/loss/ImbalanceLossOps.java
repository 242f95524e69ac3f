package io.segnet.core.loss;

import io.segnet.core.engine.kernels.Buf;
import io.segnet.core.runtime.Parallel;
import io.segnet.core.runtime.Scratch;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Losses for class-imbalanced data (issue 16), on logits {@code [N, C, H, W]} and integer label maps
 * {@code [N, 1, H, W]} with an ignore value, with the conventions of {@link LossOps}: each returns the loss and, if
 * {@code grad} is non-null, writes {@code scale * dLoss/dLogits} into it (0 at ignored pixels). A batch whose pixels
 * are all ignored has loss 0 and gradient 0.
 *
 * <ul>
 *   <li>{@link #focal}: segmentation_models_pytorch's {@code FocalLoss(mode="multiclass", alpha, gamma,
 *   ignore_index)} ({@code losses/focal.py}, {@code losses/_functional.py focal_loss_with_logits}, Lin et al. 2017):
 *   for each class c a <em>sigmoid</em> focal loss of channel c against {@code y == c},
 *   {@code a_t (1 - p_t)^gamma BCE(z_c, t)} with {@code p_t = exp(-BCE)} and {@code a_t = alpha t + (1 - alpha)(1 - t)}
 *   (no factor without alpha), averaged over the non-ignored pixels; the loss is the sum over classes. smp defines no
 *   class weights for it, so none apply.</li>
 *   <li>{@link #tversky}: smp's {@code TverskyLoss(mode="multiclass", alpha, beta, gamma=1, smooth=0, eps=1e-7,
 *   ignore_index)} ({@code losses/tversky.py}, {@code soft_tversky_score} in {@code losses/_functional.py};
 *   Salehi et al. 2017): per class over the batch's valid pixels with p the softmax, {@code S = sum p_c t_c},
 *   {@code FP = sum p_c (1 - t_c)}, {@code FN = sum (1 - p_c) t_c}, score {@code S / max(S + alpha FP + beta FN, eps)};
 *   the loss is {@code mean_c (1 - score_c) [class c present in the truth]}. {@code alpha = beta = 0.5} is smp's
 *   {@code DiceLoss}, {@code alpha = beta = 1} its {@code JaccardLoss} (soft Jaccard, {@code S / max(P + T - S, eps)}).
 *   No class weights (smp defines none).</li>
 *   <li>{@link #labelSmoothedCrossEntropy}: PyTorch's {@code F.cross_entropy(z, y, weight=w, ignore_index=i,
 *   label_smoothing=eps)}: {@code (1 - eps) CE_w + eps / C * sum_p sum_k w_k (-log softmax_k(z_p)) / sum_p w[y_p]}
 *   over the non-ignored pixels p (all {@code w} 1 without class weights).</li>
 * </ul>
 */
public final class ImbalanceLossOps {
    private ImbalanceLossOps() {
    }

    /**
     * smp's multi-class focal loss (sum over classes of the per-class sigmoid focal loss, mean over valid pixels).
     *
     * @param gamma focusing parameter, {@code >= 0} (smp's default 2)
     * @param alpha weight of the positive term in (0, 1), or {@code NaN} for none (smp's default {@code None})
     */
    public static double focal(INDArray logits, INDArray labels, double gamma, double alpha, int ignoreIndex,
                               INDArray grad, double scale) {
        int n = (int) logits.size(0), c = (int) logits.size(1), hw = (int) (logits.size(2) * logits.size(3));
        Buf z = Buf.of(logits), y = Buf.of(labels), g = grad == null ? null : Buf.of(grad);
        long valid = 0;
        for (int i = 0; i < n * hw; i++) {
            if ((int) y.get(i) != ignoreIndex) {
                valid++;
            }
        }
        double gradScale = valid == 0 ? 0.0 : scale / valid;
        boolean hasAlpha = !Double.isNaN(alpha);
        double[] lossPart = new double[n];
        Parallel.forEach(n, (long) hw * c * 8, img -> {
            double[] zb = Scratch.get(0, c * hw), lab = Scratch.get(1, hw);
            z.read(img * c * hw, zb, 0, c * hw);
            y.read(img * hw, lab, 0, hw);
            double lsum = 0;
            for (int k = 0; k < c; k++) {
                int off = k * hw;
                for (int p = 0; p < hw; p++) {
                    int label = (int) lab[p];
                    if (label == ignoreIndex) {
                        zb[off + p] = 0.0;
                        continue;
                    }
                    double x = zb[off + p], t = label == k ? 1.0 : 0.0;
                    double bce = Math.max(x, 0) - x * t + Math.log1p(Math.exp(-Math.abs(x)));
                    double pt = Math.exp(-bce), om = -Math.expm1(-bce);
                    double at = hasAlpha ? alpha * t + (1 - alpha) * (1 - t) : 1.0;
                    double omg = Math.pow(om, gamma);
                    lsum += at * omg * bce;
                    // d/dx [(1-pt)^g bce] = (sigmoid(x) - t) ((1-pt)^g + g pt bce (1-pt)^(g-1)).
                    double sig = x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
                    double fac = omg + (om > 0 && gamma != 0 ? gamma * pt * bce * Math.pow(om, gamma - 1) : 0.0);
                    zb[off + p] = gradScale * at * (sig - t) * fac;
                }
            }
            lossPart[img] = lsum;
            if (g != null) {
                g.write(img * c * hw, zb, 0, c * hw);
            }
        });
        double loss = 0;
        for (double v : lossPart) {
            loss += v;
        }
        return valid == 0 ? 0.0 : loss / valid;
    }

    /**
     * smp's multi-class Tversky loss; {@code alpha = beta = 0.5} gives the Dice loss, {@code alpha = beta = 1} the soft
     * Jaccard loss.
     *
     * @param alpha weight of the false positives, {@code >= 0}
     * @param beta  weight of the false negatives, {@code >= 0}
     */
    public static double tversky(INDArray logits, INDArray labels, double alpha, double beta, int ignoreIndex,
                                 INDArray grad, double scale) {
        final double eps = 1e-7;
        int n = (int) logits.size(0), c = (int) logits.size(1), hw = (int) (logits.size(2) * logits.size(3));
        Buf z = Buf.of(logits), y = Buf.of(labels);
        double[][] inter = new double[n][c], pSum = new double[n][c], tSum = new double[n][c];
        Parallel.forEach(n, (long) hw * c * 4, img -> {
            double[] zb = Scratch.get(0, c * hw), lab = Scratch.get(1, hw), lse = Scratch.get(2, hw);
            z.read(img * c * hw, zb, 0, c * hw);
            y.read(img * hw, lab, 0, hw);
            LossOps.softmaxPlanes(zb, c, hw, lse);
            for (int p = 0; p < hw; p++) {
                int label = (int) lab[p];
                if (label == ignoreIndex) {
                    continue;
                }
                for (int k = 0; k < c; k++) {
                    pSum[img][k] += zb[k * hw + p];
                }
                inter[img][label] += zb[label * hw + p];
                tSum[img][label] += 1;
            }
        });
        double[] s = new double[c], pp = new double[c], t = new double[c];
        for (int img = 0; img < n; img++) {
            for (int k = 0; k < c; k++) {
                s[k] += inter[img][k];
                pp[k] += pSum[img][k];
                t[k] += tSum[img][k];
            }
        }
        // D = S + alpha (P - S) + beta (T - S); score = S / max(D, eps).
        double loss = 0;
        double[] dLdS = new double[c], dLdP = new double[c];
        for (int k = 0; k < c; k++) {
            if (t[k] == 0) {
                continue;
            }
            double d = s[k] + alpha * (pp[k] - s[k]) + beta * (t[k] - s[k]);
            boolean clamped = d < eps;
            double dc = Math.max(d, eps);
            loss += 1 - s[k] / dc;
            dLdS[k] = -(clamped ? 1 / dc : 1 / dc - s[k] * (1 - alpha - beta) / (dc * dc)) / c;
            dLdP[k] = clamped ? 0.0 : s[k] * alpha / (dc * dc) / c;
        }
        loss /= c;
        if (grad != null) {
            Buf g = Buf.of(grad);
            Parallel.forEach(n, (long) hw * c * 4, img -> {
                double[] zb = Scratch.get(0, c * hw), lab = Scratch.get(1, hw), lse = Scratch.get(2, hw);
                double[] gp = Scratch.get(3, c);
                z.read(img * c * hw, zb, 0, c * hw);
                y.read(img * hw, lab, 0, hw);
                LossOps.softmaxPlanes(zb, c, hw, lse);
                for (int p = 0; p < hw; p++) {
                    int label = (int) lab[p];
                    if (label == ignoreIndex) {
                        for (int k = 0; k < c; k++) {
                            zb[k * hw + p] = 0.0;
                        }
                        continue;
                    }
                    double dot = 0;
                    for (int k = 0; k < c; k++) {
                        gp[k] = dLdP[k] + (k == label ? dLdS[k] : 0.0);
                        dot += gp[k] * zb[k * hw + p];
                    }
                    for (int k = 0; k < c; k++) {
                        zb[k * hw + p] = scale * zb[k * hw + p] * (gp[k] - dot);
                    }
                }
                g.write(img * c * hw, zb, 0, c * hw);
            });
        }
        return loss;
    }

    /**
     * Cross-entropy with label smoothing, as PyTorch's {@code F.cross_entropy(..., label_smoothing=epsilon)}.
     *
     * @param classWeights per-class weights ({@code C}), or null for all 1
     * @param epsilon      smoothing in [0, 1]; 0 is plain cross-entropy
     */
    public static double labelSmoothedCrossEntropy(INDArray logits, INDArray labels, double[] classWeights,
                                                   double epsilon, int ignoreIndex, INDArray grad, double scale) {
        int n = (int) logits.size(0), c = (int) logits.size(1), hw = (int) (logits.size(2) * logits.size(3));
        Buf z = Buf.of(logits), y = Buf.of(labels), g = grad == null ? null : Buf.of(grad);
        double[] w = new double[c];
        double wAll = 0;
        for (int k = 0; k < c; k++) {
            w[k] = classWeights == null ? 1.0 : classWeights[k];
            wAll += w[k];
        }
        double weight = 0;
        for (int i = 0; i < n * hw; i++) {
            int label = (int) y.get(i);
            if (label != ignoreIndex) {
                weight += w[label];
            }
        }
        double gs = weight == 0 ? 0.0 : scale / weight, smooth = epsilon / c;
        final double totalClassWeight = wAll;
        double[] lossPart = new double[n];
        Parallel.forEach(n, (long) hw * c * 4, img -> {
            double[] zb = Scratch.get(0, c * hw), lab = Scratch.get(1, hw), lse = Scratch.get(2, hw);
            double[] sumWz = Scratch.get(3, hw);
            z.read(img * c * hw, zb, 0, c * hw);
            y.read(img * hw, lab, 0, hw);
            double lsum = 0;
            java.util.Arrays.fill(sumWz, 0, hw, 0.0);
            for (int k = 0; k < c; k++) {
                for (int p = 0; p < hw; p++) {
                    sumWz[p] += w[k] * zb[k * hw + p];
                }
            }
            double[] picked = Scratch.get(4, hw);
            for (int p = 0; p < hw; p++) {
                int label = (int) lab[p];
                picked[p] = label == ignoreIndex ? 0.0 : zb[label * hw + p];
            }
            LossOps.softmaxPlanes(zb, c, hw, lse);
            for (int p = 0; p < hw; p++) {
                int label = (int) lab[p];
                if (label == ignoreIndex) {
                    for (int k = 0; k < c; k++) {
                        zb[k * hw + p] = 0.0;
                    }
                    continue;
                }
                double wy = w[label];
                // -sum_k w_k log s_k = W lse - sum_k w_k z_k.
                lsum += (1 - epsilon) * wy * (lse[p] - picked[p]) + smooth * (totalClassWeight * lse[p] - sumWz[p]);
                double a = (1 - epsilon) * wy + smooth * totalClassWeight;
                for (int k = 0; k < c; k++) {
                    zb[k * hw + p] = gs * (a * zb[k * hw + p] - smooth * w[k]);
                }
                zb[label * hw + p] -= gs * (1 - epsilon) * wy;
            }
            lossPart[img] = lsum;
            if (g != null) {
                g.write(img * c * hw, zb, 0, c * hw);
            }
        });
        double loss = 0;
        for (double v : lossPart) {
            loss += v;
        }
        return weight == 0 ? 0.0 : loss / weight;
    }
}
