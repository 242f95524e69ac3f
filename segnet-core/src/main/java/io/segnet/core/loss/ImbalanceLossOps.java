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
 *   <li>{@link #lovaszSoftmax}: the Lovasz-softmax loss of Berman, Rannen Triki and Blaschko 2018 ("The
 *   Lovasz-Softmax loss", CVPR), as the authors' reference {@code lovasz_softmax(probas, labels, classes='present',
 *   per_image, ignore)} ({@code github.com/bermanmaxim/LovaszSoftmax}, {@code pytorch/lovasz_losses.py}; smp's
 *   {@code LovaszLoss(mode="multiclass")} is the same code): for every class c present in the truth, the errors
 *   {@code e_i = |[y_i == c] - p_c(i)|} of the valid pixels sorted in decreasing order, and
 *   {@code L_c = sum_i e_(i) g_i} with {@code g} the increments of the Jaccard loss {@code 1 - (T - cumsum fg) /
 *   (T + cumsum (1 - fg))} along that order ({@code lovasz_grad}); the loss is the mean of {@code w_c L_c} over the
 *   present classes, per batch or ({@code perImage}) per image and then averaged over the images that have valid
 *   pixels. Class weights {@code w_c} as mmsegmentation's {@code lovasz_softmax_flat(..., class_weight)}
 *   ({@code mmseg/models/losses/lovasz_loss.py}), all 1 without. The loss is piecewise linear in the
 *   probabilities: the gradient is that of the current order (exact away from ties).</li>
 *   <li>{@link #ohemCrossEntropy}: mmsegmentation's {@code OHEMPixelSampler(thresh, min_kept)}
 *   ({@code mmseg/structures/sampler/ohem_pixel_sampler.py}, mmsegmentation 1.x) feeding its {@code CrossEntropyLoss(
 *   class_weight, avg_non_ignore=True)}: with {@code q_p} the softmax probability of pixel p's true class and
 *   {@code K = minKept * N}, the threshold is {@code max(thresh, q_(min(K, M - 1)))} (the K-th smallest q over the M
 *   valid pixels, 0-based); the pixels with {@code q_p < threshold} are kept (a selection that takes no gradient)
 *   and the loss is {@code sum_kept w[y_p] (logsumexp(z_p) - z_p[y_p]) / M}.</li>
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

    /**
     * The Lovasz-softmax loss (Berman et al. 2018) over the classes present in the truth.
     *
     * @param classWeights per-class weights {@code w_c} of the class losses ({@code C}, as mmsegmentation), or null
     *                     for all 1
     * @param perImage     the loss of every image separately, then their mean (the reference's {@code per_image})
     */
    public static double lovaszSoftmax(INDArray logits, INDArray labels, double[] classWeights, boolean perImage,
                                       int ignoreIndex, INDArray grad, double scale) {
        int n = (int) logits.size(0), c = (int) logits.size(1), hw = (int) (logits.size(2) * logits.size(3));
        Buf z = Buf.of(logits), y = Buf.of(labels);
        // log-sum-exp of every pixel, and the valid pixels (as indices img * hw + p) of each group (batch or image).
        double[] lse = new double[n * hw];
        int[] validCount = new int[n];
        Parallel.forEach(n, (long) hw * c * 4, img -> {
            double[] zb = Scratch.get(0, c * hw), lab = Scratch.get(1, hw), l = Scratch.get(2, hw);
            z.read(img * c * hw, zb, 0, c * hw);
            y.read(img * hw, lab, 0, hw);
            LossOps.softmaxPlanes(zb, c, hw, l);
            System.arraycopy(l, 0, lse, img * hw, hw);
            int v = 0;
            for (int p = 0; p < hw; p++) {
                v += (int) lab[p] == ignoreIndex ? 0 : 1;
            }
            validCount[img] = v;
        });
        int groups = perImage ? n : 1;
        int[][] pixels = new int[groups][];
        for (int gi = 0; gi < groups; gi++) {
            int size = 0;
            for (int img = perImage ? gi : 0; img < (perImage ? gi + 1 : n); img++) {
                size += validCount[img];
            }
            pixels[gi] = new int[size];
        }
        int[] fill = new int[groups];
        double[] labelOf = new double[n * hw];
        y.read(0, labelOf, 0, n * hw);
        for (int i = 0; i < n * hw; i++) {
            if ((int) labelOf[i] != ignoreIndex) {
                int gi = perImage ? i / hw : 0;
                pixels[gi][fill[gi]++] = i;
            }
        }
        // L_c of every (group, class) and dL_c/dp_c at its pixels, written into grad's plane c (0 elsewhere).
        double[] classLoss = new double[groups * c];
        boolean[] present = new boolean[groups * c];
        Buf g = grad == null ? null : Buf.of(grad);
        if (grad != null) {
            grad.assign(0);
        }
        Parallel.forEach(groups * c, 64L * (perImage ? hw : (long) n * hw), unit -> {
            int gi = unit / c, k = unit % c;
            int[] px = pixels[gi];
            int m = px.length;
            double[] err = Scratch.get(0, m), fg = Scratch.get(1, m);
            int fgCount = 0;
            for (int j = 0; j < m; j++) {
                int i = px[j], img = i / hw, p = i % hw;
                double prob = Math.exp(z.get(img * c * hw + k * hw + p) - lse[i]);
                fg[j] = (int) labelOf[i] == k ? 1.0 : 0.0;
                fgCount += (int) fg[j];
                err[j] = Math.abs(fg[j] - prob);
            }
            if (fgCount == 0) {
                return;
            }
            present[unit] = true;
            int[] order = sortDescending(err, m);
            double total = fgCount, cumFg = 0, cumBg = 0, previous = 0, loss = 0;
            for (int r = 0; r < m; r++) {
                int j = order[r];
                cumFg += fg[j];
                cumBg += 1 - fg[j];
                double jaccard = 1 - (total - cumFg) / (total + cumBg);
                double inc = jaccard - previous;
                previous = jaccard;
                loss += err[j] * inc;
                // e = |fg - p|: de/dp = -1 for a foreground pixel, +1 otherwise. Stored as dL_c/dp_c.
                err[j] = fg[j] > 0 ? -inc : inc;
            }
            classLoss[unit] = loss;
            if (g != null) {
                for (int j = 0; j < m; j++) {
                    int i = px[j], img = i / hw, p = i % hw;
                    g.set(img * c * hw + k * hw + p, err[j]);
                }
            }
        });
        // loss = mean over groups with valid pixels of mean over present classes of w_c L_c.
        double loss = 0;
        int counted = 0;
        double[] groupFactor = new double[groups];
        for (int gi = 0; gi < groups; gi++) {
            int presentCount = 0;
            double sum = 0;
            for (int k = 0; k < c; k++) {
                if (present[gi * c + k]) {
                    presentCount++;
                    sum += (classWeights == null ? 1.0 : classWeights[k]) * classLoss[gi * c + k];
                }
            }
            if (presentCount > 0) {
                counted++;
                loss += sum / presentCount;
                groupFactor[gi] = 1.0 / presentCount;
            }
        }
        if (counted == 0) {
            return 0.0;
        }
        loss /= counted;
        if (g != null) {
            int groupsCounted = counted;
            Parallel.forEach(n, (long) hw * c * 4, img -> {
                double[] zb = Scratch.get(0, c * hw), gp = Scratch.get(1, c * hw), l = Scratch.get(2, hw);
                double[] lab = Scratch.get(3, hw);
                z.read(img * c * hw, zb, 0, c * hw);
                g.read(img * c * hw, gp, 0, c * hw);
                y.read(img * hw, lab, 0, hw);
                LossOps.softmaxPlanes(zb, c, hw, l);
                double f = scale * groupFactor[perImage ? img : 0] / groupsCounted;
                for (int k = 0; k < c; k++) {
                    double wk = f * (classWeights == null ? 1.0 : classWeights[k]);
                    for (int p = 0; p < hw; p++) {
                        gp[k * hw + p] *= wk;
                    }
                }
                for (int p = 0; p < hw; p++) {
                    if ((int) lab[p] == ignoreIndex) {
                        for (int k = 0; k < c; k++) {
                            zb[k * hw + p] = 0.0;
                        }
                        continue;
                    }
                    double dot = 0;
                    for (int k = 0; k < c; k++) {
                        dot += gp[k * hw + p] * zb[k * hw + p];
                    }
                    for (int k = 0; k < c; k++) {
                        zb[k * hw + p] *= gp[k * hw + p] - dot;
                    }
                }
                g.write(img * c * hw, zb, 0, c * hw);
            });
        }
        return loss;
    }

    /** Indices {@code 0..m-1} ordered by decreasing {@code key} (a stable merge sort on primitive arrays). */
    static int[] sortDescending(double[] key, int m) {
        int[] a = new int[m], b = new int[m];
        for (int i = 0; i < m; i++) {
            a[i] = i;
        }
        for (int width = 1; width < m; width *= 2) {
            for (int lo = 0; lo < m; lo += 2 * width) {
                int mid = Math.min(lo + width, m), hi = Math.min(lo + 2 * width, m), i = lo, j = mid, o = lo;
                while (i < mid && j < hi) {
                    b[o++] = key[a[j]] > key[a[i]] ? a[j++] : a[i++];
                }
                while (i < mid) {
                    b[o++] = a[i++];
                }
                while (j < hi) {
                    b[o++] = a[j++];
                }
            }
            int[] t = a;
            a = b;
            b = t;
        }
        return a;
    }

    /**
     * mmsegmentation's OHEM cross-entropy: the pixels whose true-class probability is below
     * {@code max(thresh, K-th smallest)} ({@code K = minKept * N}), summed with their class weights and divided by
     * the number of valid pixels.
     *
     * @param classWeights per-class weights ({@code C}), or null for all 1
     * @param thresh       probability threshold in (0, 1] (mmsegmentation's configs use 0.7)
     * @param minKept      pixels kept at least, per image ({@code >= 0}; mmsegmentation's default 100000)
     */
    public static double ohemCrossEntropy(INDArray logits, INDArray labels, double[] classWeights, double thresh,
                                          int minKept, int ignoreIndex, INDArray grad, double scale) {
        int n = (int) logits.size(0), c = (int) logits.size(1), hw = (int) (logits.size(2) * logits.size(3));
        Buf z = Buf.of(logits), y = Buf.of(labels), g = grad == null ? null : Buf.of(grad);
        double[] trueProb = new double[n * hw];
        Parallel.forEach(n, (long) hw * c * 4, img -> {
            double[] zb = Scratch.get(0, c * hw), lab = Scratch.get(1, hw), l = Scratch.get(2, hw);
            z.read(img * c * hw, zb, 0, c * hw);
            y.read(img * hw, lab, 0, hw);
            LossOps.softmaxPlanes(zb, c, hw, l);
            for (int p = 0; p < hw; p++) {
                int label = (int) lab[p];
                trueProb[img * hw + p] = label == ignoreIndex ? Double.NaN : zb[label * hw + p];
            }
        });
        double[] sorted = java.util.Arrays.stream(trueProb).filter(v -> !Double.isNaN(v)).sorted().toArray();
        int valid = sorted.length;
        long batchKept = (long) minKept * n;
        double threshold = Math.max(valid == 0 ? 0.0 : sorted[(int) Math.min(batchKept, valid - 1)], thresh);
        double gradScale = valid == 0 ? 0.0 : scale / valid;
        double[] lossPart = new double[n];
        Parallel.forEach(n, (long) hw * c * 4, img -> {
            double[] zb = Scratch.get(0, c * hw), lab = Scratch.get(1, hw), lse = Scratch.get(2, hw);
            double[] picked = Scratch.get(3, hw);
            z.read(img * c * hw, zb, 0, c * hw);
            y.read(img * hw, lab, 0, hw);
            for (int p = 0; p < hw; p++) {
                int label = (int) lab[p];
                picked[p] = label == ignoreIndex ? 0.0 : zb[label * hw + p];
            }
            LossOps.softmaxPlanes(zb, c, hw, lse);
            double lsum = 0;
            for (int p = 0; p < hw; p++) {
                int label = (int) lab[p];
                boolean kept = label != ignoreIndex && trueProb[img * hw + p] < threshold;
                if (!kept) {
                    for (int k = 0; k < c; k++) {
                        zb[k * hw + p] = 0.0;
                    }
                    continue;
                }
                double w = classWeights == null ? 1.0 : classWeights[label];
                lsum += w * (lse[p] - picked[p]);
                for (int k = 0; k < c; k++) {
                    zb[k * hw + p] *= w * gradScale;
                }
                zb[label * hw + p] -= w * gradScale;
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
}
