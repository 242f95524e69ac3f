package io.segnet.inference.crf;

import io.segnet.core.runtime.Parallel;
import io.segnet.inference.Prediction;

import java.util.Objects;

/**
 * Fully connected CRF refinement of a segmentation (Kr&auml;henb&uuml;hl and Koltun 2011): mean-field inference over
 * the class probabilities of one image, with an appearance kernel over position and colour and a smoothness kernel
 * over position ({@link DenseCrfConfig}), Potts compatibility, and message passing through a
 * {@link PermutohedralLattice} per kernel, so each iteration costs time linear in the number of pixels.
 *
 * <p>The update is that of the authors' densecrf code with symmetric kernel normalisation: with unaries
 * {@code U = -log P} (P the model's softmax) and {@code n_m = 1 / sqrt(K_m 1)},
 * {@code Q <- softmax(log P + sum_m w_m n_m (K_m (n_m Q)))}, starting from {@code Q = P}. {@code K_m} includes
 * each pixel itself. A pixel whose probability is exactly 1 for one class keeps that class ({@code log 0 = -inf}).
 *
 * <p>Immutable; {@link #refine} may run from several threads at once.
 */
public final class DenseCrf {
    private final DenseCrfConfig config;

    /** A CRF with these settings. */
    public DenseCrf(DenseCrfConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** Its settings. */
    public DenseCrfConfig config() {
        return config;
    }

    /**
     * Refines the class probabilities of one image.
     *
     * @param probabilities {@code [classes, height, width]}, each pixel's probabilities summing to 1 (a softmax)
     * @param image         the image, {@code [channels, height, width]}, in 0-255 units (before normalisation)
     * @param channels      image channels (1 gray, 3 RGB, or any other count)
     * @return the refined probabilities, {@code [classes, height, width]}
     */
    public float[] refine(float[] probabilities, int classes, int height, int width, float[] image, int channels) {
        int n = height * width;
        if (classes < 1 || height < 1 || width < 1 || channels < 1) {
            throw new IllegalArgumentException("classes, height, width and channels must be >= 1, got " + classes
                    + ", " + height + ", " + width + ", " + channels);
        }
        if (probabilities.length != (long) classes * n || image.length != (long) channels * n) {
            throw new IllegalArgumentException("probabilities must hold classes * height * width = "
                    + (long) classes * n + " values and image channels * height * width = " + (long) channels * n
                    + "; got " + probabilities.length + " and " + image.length);
        }
        Kernel appearance = config.appearanceWeight() > 0
                ? new Kernel(appearanceFeatures(image, channels, height, width), n, 2 + channels,
                config.appearanceWeight()) : null;
        Kernel smoothness = config.smoothnessWeight() > 0
                ? new Kernel(positionFeatures(height, width, config.thetaGamma()), n, 2, config.smoothnessWeight())
                : null;
        int k = classes;
        float[] logP = new float[n * k];
        float[] q = new float[n * k];
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < n; i++) {
                float p = probabilities[c * n + i];
                logP[i * k + c] = (float) Math.log(p);
                q[i * k + c] = p;
            }
        }
        float[] message = new float[n * k];
        float[] scaled = new float[n * k];
        float[] filtered = new float[n * k];
        for (int it = 0; it < config.iterations(); it++) {
            System.arraycopy(logP, 0, message, 0, message.length);
            for (Kernel kernel : new Kernel[]{appearance, smoothness}) {
                if (kernel != null) {
                    kernel.addMessage(q, scaled, filtered, message, k);
                }
            }
            softmax(message, q, n, k);
        }
        float[] out = new float[k * n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                out[c * n + i] = q[i * k + c];
            }
        }
        return out;
    }

    /** The most probable class of each pixel of {@code probabilities [classes, pixels]}, {@code classes >= 2}. */
    public static int[] labels(float[] probabilities, int classes, int pixels) {
        return Prediction.ofLogits(classes, 1, pixels, probabilities).classMap();
    }

    private float[] appearanceFeatures(float[] image, int channels, int height, int width) {
        int n = height * width;
        int dim = 2 + channels;
        float[] f = new float[n * dim];
        float invAlpha = (float) (1 / config.thetaAlpha());
        float invBeta = (float) (1 / config.thetaBeta());
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                f[i * dim] = x * invAlpha;
                f[i * dim + 1] = y * invAlpha;
                for (int c = 0; c < channels; c++) {
                    f[i * dim + 2 + c] = image[c * n + i] * invBeta;
                }
            }
        }
        return f;
    }

    private static float[] positionFeatures(int height, int width, double theta) {
        float[] f = new float[height * width * 2];
        float inv = (float) (1 / theta);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                f[2 * i] = x * inv;
                f[2 * i + 1] = y * inv;
            }
        }
        return f;
    }

    /** Pixels per parallel work item. */
    private static final int BLOCK = 4096;

    /** Runs {@code body} over the pixel ranges {@code [from, to)} of {@code n} pixels, in parallel. */
    private static void forPixels(int n, long workPerPixel, PixelRange body) {
        Parallel.forEach((n + BLOCK - 1) / BLOCK, BLOCK * workPerPixel,
                b -> body.run(b * BLOCK, Math.min(n, (b + 1) * BLOCK)));
    }

    /** A loop over a range of pixels. */
    private interface PixelRange {
        void run(int from, int to);
    }

    /** {@code q <- softmax(logits)} per pixel, over {@code k} classes; a class at -infinity gets 0. */
    private static void softmax(float[] logits, float[] q, int n, int k) {
        forPixels(n, 20L * k, (from, to) -> softmax(logits, q, from, to, k));
    }

    private static void softmax(float[] logits, float[] q, int from, int to, int k) {
        for (int i = from; i < to; i++) {
            int o = i * k;
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                max = Math.max(max, logits[o + c]);
            }
            float sum = 0;
            for (int c = 0; c < k; c++) {
                float e = (float) Math.exp(logits[o + c] - max);
                q[o + c] = e;
                sum += e;
            }
            float inv = 1f / sum;
            for (int c = 0; c < k; c++) {
                q[o + c] *= inv;
            }
        }
    }

    /** One Gaussian kernel: its lattice, its symmetric normalisation and its weight. */
    private static final class Kernel {
        private final PermutohedralLattice lattice;
        private final float[] norm;
        private final float weight;

        Kernel(float[] features, int n, int dim, double weight) {
            this.lattice = PermutohedralLattice.build(features, n, dim);
            float[] ones = new float[n];
            java.util.Arrays.fill(ones, 1f);
            float[] sums = new float[n];
            lattice.filter(ones, sums, 1);
            this.norm = new float[n];
            for (int i = 0; i < n; i++) {
                norm[i] = (float) (1 / Math.sqrt(sums[i] + 1e-20));
            }
            this.weight = (float) weight;
        }

        /** {@code message += weight * n (K (n q))}. */
        void addMessage(float[] q, float[] scaled, float[] filtered, float[] message, int k) {
            int n = norm.length;
            forPixels(n, k, (from, to) -> {
                for (int i = from; i < to; i++) {
                    float s = norm[i];
                    for (int c = 0; c < k; c++) {
                        scaled[i * k + c] = q[i * k + c] * s;
                    }
                }
            });
            lattice.filter(scaled, filtered, k);
            forPixels(n, k, (from, to) -> {
                for (int i = from; i < to; i++) {
                    float s = weight * norm[i];
                    for (int c = 0; c < k; c++) {
                        message[i * k + c] += s * filtered[i * k + c];
                    }
                }
            });
        }
    }
}
