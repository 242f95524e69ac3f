package io.segnet.core.loss;

import io.segnet.core.engine.kernels.Buf;
import io.segnet.core.engine.kernels.FloatExp;
import io.segnet.core.runtime.Parallel;
import io.segnet.core.runtime.Scratch;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Segmentation losses on logits {@code [N, C, H, W]} and integer label maps {@code [N, 1, H, W]} (class ids stored as
 * numbers; {@code ignoreIndex} marks pixels that count nowhere). Each returns the loss and, if {@code grad} is
 * non-null, writes {@code scale * dLoss/dLogits} into it (every element, 0 at ignored pixels).
 *
 * <ul>
 *   <li>{@link #crossEntropy}: PyTorch's {@code F.cross_entropy(logits, y, weight=w, ignore_index=i)} with mean
 *   reduction: {@code sum_p w[y_p] (logsumexp(z_p) - z_p[y_p]) / sum_p w[y_p]} over non-ignored pixels p.</li>
 *   <li>{@link #dice}: soft multi-class Dice loss as segmentation_models_pytorch's
 *   {@code DiceLoss(mode="multiclass", smooth=0, eps=1e-7, ignore_index=i)}: per class c over the batch's valid
 *   pixels, {@code dice_c = 2 sum(p_c t_c) / max(sum(p_c + t_c), eps)} with p the softmax; the loss is
 *   {@code mean_c (1 - dice_c) [class c present in the truth]}.</li>
 *   <li>{@link #binaryCrossEntropy}: {@code F.binary_cross_entropy_with_logits} on one-channel logits, labels 0 or 1,
 *   mean over non-ignored pixels.</li>
 * </ul>
 * A batch whose pixels are all ignored has loss 0 and gradient 0 (PyTorch would return NaN).
 */
public final class LossOps {
    private LossOps() {
    }

    /** Checks labels: shape {@code [N, 1, H, W]} matching the logits, integer values in [0, C) or the ignore index. */
    public static void validateLabels(String who, INDArray logits, INDArray labels, int classes, int ignoreIndex) {
        long[] ls = labels.shape(), zs = logits.shape();
        if (labels.rank() != 4 || ls[1] != 1 || ls[0] != zs[0] || ls[2] != zs[2] || ls[3] != zs[3]) {
            throw new IllegalArgumentException(who + ": labels must be an integer class map [N, 1, H, W] = ["
                    + zs[0] + ", 1, " + zs[2] + ", " + zs[3] + "] matching the logits " + Arrays.toString(zs)
                    + ", got " + Arrays.toString(ls)
                    + (ls.length == 4 && ls[1] == zs[1] && ls[1] > 1 ? " (one-hot labels? pass class indices instead)" : ""));
        }
        Buf lb = Buf.of(Buf.contiguous(labels));
        Map<Double, Integer> bad = new TreeMap<>();
        for (int i = 0; i < lb.length; i++) {
            double v = lb.get(i);
            if (v != ignoreIndex && (v < 0 || v >= classes || v != Math.rint(v))) {
                bad.merge(v, 1, Integer::sum);
            }
        }
        if (!bad.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            bad.entrySet().stream().limit(10).forEach(e -> sb.append(sb.length() == 0 ? "" : ", ")
                    .append(fmt(e.getKey())).append(" (").append(e.getValue()).append(" pixels)"));
            throw new IllegalArgumentException(who + ": label values must be class ids in [0, " + classes
                    + ") or the ignore index " + ignoreIndex + "; found " + sb + (bad.size() > 10 ? ", ..." : "")
                    + ". Map the mask's values to classes (e.g. 255 -> 1 for 0/255 binary masks) or set numClasses");
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /**
     * Weighted softmax cross-entropy with an ignore index.
     *
     * @param classWeights per-class weights ({@code C}), or null for all 1
     * @return the mean loss
     */
    public static double crossEntropy(INDArray logits, INDArray labels, double[] classWeights, int ignoreIndex,
                                      INDArray grad, double scale) {
        int n = (int) logits.size(0), c = (int) logits.size(1), hw = (int) (logits.size(2) * logits.size(3));
        Buf z = Buf.of(logits), y = Buf.of(labels), g = grad == null ? null : Buf.of(grad);
        // The total weight first, so that the gradient is written scaled in the same pass as the softmax.
        double[] weightPart = new double[n];
        Parallel.forEach(n, hw, img -> {
            double[] lab = Scratch.get(0, hw);
            y.read(img * hw, lab, 0, hw);
            double wsum = 0;
            for (int p = 0; p < hw; p++) {
                int label = (int) lab[p];
                if (label != ignoreIndex) {
                    wsum += classWeights == null ? 1.0 : classWeights[label];
                }
            }
            weightPart[img] = wsum;
        });
        double weight = 0;
        for (int i = 0; i < n; i++) {
            weight += weightPart[i];
        }
        double gradScale = weight == 0 ? 0.0 : scale / weight;
        double[] lossPart = new double[n];
        boolean floats = z instanceof Buf.F32 && (g == null || g instanceof Buf.F32);
        Parallel.forEach(n, (long) hw * c * 4, img -> lossPart[img] = floats
                ? crossEntropyImageFloat((Buf.F32) z, y, (Buf.F32) g, img, c, hw, classWeights, ignoreIndex, gradScale)
                : crossEntropyImage(z, y, g, img, c, hw, classWeights, ignoreIndex, gradScale));
        double loss = 0;
        for (int i = 0; i < n; i++) {
            loss += lossPart[i];
        }
        return weight == 0 ? 0.0 : loss / weight;
    }

    /** {@link #crossEntropy} on image {@code img} in double: returns its weighted loss sum, writes its gradient. */
    private static double crossEntropyImage(Buf z, Buf y, Buf g, int img, int c, int hw, double[] classWeights,
                                            int ignoreIndex, double gradScale) {
        double[] zb = Scratch.get(0, c * hw), lab = Scratch.get(1, hw), lse = Scratch.get(2, hw);
        double[] picked = Scratch.get(3, hw), coef = Scratch.get(4, hw);
        z.read(img * c * hw, zb, 0, c * hw);
        y.read(img * hw, lab, 0, hw);
        for (int p = 0; p < hw; p++) {
            int label = (int) lab[p];
            picked[p] = label == ignoreIndex ? 0.0 : zb[label * hw + p];
        }
        softmaxPlanes(zb, c, hw, lse);
        double lsum = 0;
        for (int p = 0; p < hw; p++) {
            int label = (int) lab[p];
            if (label == ignoreIndex) {
                coef[p] = 0.0;
                continue;
            }
            double w = classWeights == null ? 1.0 : classWeights[label];
            lsum += w * (lse[p] - picked[p]);
            coef[p] = w * gradScale;
        }
        if (g != null) {
            // d/dz_k = w (softmax_k - [k == label]), zero at ignored pixels.
            for (int k = 0; k < c; k++) {
                int off = k * hw;
                for (int p = 0; p < hw; p++) {
                    zb[off + p] *= coef[p];
                }
            }
            for (int p = 0; p < hw; p++) {
                int label = (int) lab[p];
                if (label != ignoreIndex) {
                    zb[label * hw + p] -= coef[p];
                }
            }
            g.write(img * c * hw, zb, 0, c * hw);
        }
        return lsum;
    }

    /**
     * {@link #crossEntropy} on image {@code img} of FLOAT logits, in float as PyTorch computes it, with the softmax's
     * exponentials vectorised ({@link FloatExp}): returns the image's weighted loss sum and writes its gradient
     * (scaled by {@code gradScale}) if {@code g} is non-null. The unnormalised exponentials are staged in {@code g}.
     * Every loop runs over whole planes from index 0, the form C2 vectorises.
     */
    private static double crossEntropyImageFloat(Buf.F32 z, Buf y, Buf.F32 g, int img, int c, int hw,
                                                 double[] classWeights, int ignoreIndex, double gradScale) {
        float[] plane = Scratch.floats(0, hw), max = Scratch.floats(1, hw), sum = Scratch.floats(2, hw);
        float[] e = Scratch.floats(3, hw), tmp = Scratch.floats(4, hw), others = Scratch.floats(5, hw);
        double[] lab = Scratch.get(0, hw);
        int base = img * c * hw;
        y.read(img * hw, lab, 0, hw);
        z.readFloats(base, max, 0, hw);
        for (int k = 1; k < c; k++) {
            z.readFloats(base + k * hw, plane, 0, hw);
            for (int p = 0; p < hw; p++) {
                max[p] = Math.max(max[p], plane[p]);
            }
        }
        Arrays.fill(sum, 0, hw, 0f);
        Arrays.fill(others, 0, hw, 0f);
        for (int k = 0; k < c; k++) {
            z.readFloats(base + k * hw, plane, 0, hw);
            for (int p = 0; p < hw; p++) {
                plane[p] -= max[p];
            }
            FloatExp.exp(plane, e, hw, tmp);
            for (int p = 0; p < hw; p++) {
                sum[p] += e[p];
            }
            // The other classes' exponentials, summed apart for the label's gradient below.
            for (int p = 0; p < hw; p++) {
                others[p] += lab[p] == k ? 0f : e[p];
            }
            if (g != null) {
                g.writeFloats(base + k * hw, e, 0, hw);
            }
        }
        // Per pixel: the loss, and in sum the gradient's factor w gradScale / sum_j exp(z_j - max).
        double lsum = 0;
        for (int p = 0; p < hw; p++) {
            int label = (int) lab[p];
            if (label == ignoreIndex) {
                sum[p] = 0f;
                continue;
            }
            double w = classWeights == null ? 1.0 : classWeights[label];
            double lse = Math.log(sum[p]) + max[p];
            lsum += w * (lse - z.get(base + label * hw + p));
            // The label's gradient w (p_label - 1) = -w (sum of the other classes' exponentials) / sum: as
            // p_label - 1 in float it loses all its digits where the label is confidently right.
            others[p] = (float) (-w * gradScale * others[p] / sum[p]);
            sum[p] = (float) (w * gradScale / sum[p]);
        }
        if (g != null) {
            // d/dz_k = w (softmax_k - [k == label]), zero at ignored pixels.
            for (int k = 0; k < c; k++) {
                g.readFloats(base + k * hw, plane, 0, hw);
                for (int p = 0; p < hw; p++) {
                    e[p] = plane[p] * sum[p];
                }
                g.writeFloats(base + k * hw, e, 0, hw);
            }
            for (int p = 0; p < hw; p++) {
                int label = (int) lab[p];
                if (label != ignoreIndex) {
                    g.set(base + label * hw + p, others[p]);
                }
            }
        }
        return lsum;
    }

    /**
     * Softmax over the {@code c} planes of one image, in place: {@code z[k hw + p]} becomes
     * {@code exp(z[k hw + p]) / sum_j exp(z[j hw + p])}, and {@code lse[p]} receives {@code log sum_j exp(z[j hw + p])}.
     * Loops run along pixels (contiguous), one plane at a time.
     */
    static void softmaxPlanes(double[] z, int c, int hw, double[] lse) {
        double[] max = Scratch.get(5, hw);
        System.arraycopy(z, 0, max, 0, hw);
        for (int k = 1; k < c; k++) {
            int off = k * hw;
            for (int p = 0; p < hw; p++) {
                max[p] = Math.max(max[p], z[off + p]);
            }
        }
        java.util.Arrays.fill(lse, 0, hw, 0.0);
        for (int k = 0; k < c; k++) {
            int off = k * hw;
            for (int p = 0; p < hw; p++) {
                double e = Math.exp(z[off + p] - max[p]);
                z[off + p] = e;
                lse[p] += e;
            }
        }
        for (int p = 0; p < hw; p++) {
            double inv = 1.0 / lse[p];
            for (int k = 0; k < c; k++) {
                z[k * hw + p] *= inv;
            }
            lse[p] = Math.log(lse[p]) + max[p];
        }
    }

    /**
     * Soft multi-class Dice loss with an ignore index (segmentation_models_pytorch's definition, eps 1e-7): the Tversky
     * loss with alpha = beta = 0.5 ({@link ImbalanceLossOps#tversky}), since {@code S / (S + (FP + FN) / 2)} equals
     * {@code 2S / (P + T)}.
     */
    public static double dice(INDArray logits, INDArray labels, int ignoreIndex, INDArray grad, double scale) {
        return ImbalanceLossOps.tversky(logits, labels, 0.5, 0.5, ignoreIndex, grad, scale);
    }

    /** Binary cross-entropy on one-channel logits {@code [N, 1, H, W]}, labels 0/1 or the ignore index. */
    public static double binaryCrossEntropy(INDArray logits, INDArray labels, int ignoreIndex, INDArray grad,
                                            double scale) {
        int len = (int) logits.length();
        Buf z = Buf.of(logits), y = Buf.of(labels), g = grad == null ? null : Buf.of(grad);
        double loss = 0;
        int count = 0;
        for (int i = 0; i < len; i++) {
            double t = y.get(i);
            if (t == ignoreIndex) {
                continue;
            }
            double v = z.get(i);
            loss += Math.max(v, 0) - v * t + Math.log1p(Math.exp(-Math.abs(v)));
            count++;
        }
        if (g != null) {
            for (int i = 0; i < len; i++) {
                double t = y.get(i);
                g.set(i, t == ignoreIndex || count == 0 ? 0.0 : scale * (1 / (1 + Math.exp(-z.get(i))) - t) / count);
            }
        }
        return count == 0 ? 0.0 : loss / count;
    }
}
