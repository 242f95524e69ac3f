package io.segnet.inference;

import java.util.Objects;

/**
 * The result of predicting one image: its class map and the averaged logits it was taken from.
 *
 * @param height        H
 * @param width         W
 * @param logitChannels K, the model's logit channels (1 for a binary model with a sigmoid output)
 * @param classMap      {@code H*W} class ids, row-major: the arg-max of the logits over channels (the lowest id on
 *                      ties); for a one-channel model, 1 where the logit is positive and 0 elsewhere
 * @param logits        {@code K*H*W} logits, CHW order, averaged over windows and test-time augmentations
 */
public record Prediction(int height, int width, int logitChannels, int[] classMap, float[] logits) {

    /** Checks the lengths. */
    public Prediction {
        Objects.requireNonNull(classMap, "classMap");
        Objects.requireNonNull(logits, "logits");
        if (logitChannels < 1 || (long) height * width != classMap.length
                || (long) logitChannels * height * width != logits.length) {
            throw new IllegalArgumentException("prediction " + logitChannels + "x" + height + "x" + width
                    + " does not match " + classMap.length + " class ids and " + logits.length + " logits");
        }
    }

    /** The prediction of {@code logits} ({@code K*H*W}, CHW): the class of the largest logit at each pixel. */
    public static Prediction ofLogits(int logitChannels, int height, int width, float[] logits) {
        int plane = height * width;
        int[] map = new int[plane];
        if (logitChannels == 1) {
            for (int p = 0; p < plane; p++) {
                map[p] = logits[p] > 0 ? 1 : 0;
            }
            return new Prediction(height, width, 1, map, logits);
        }
        for (int p = 0; p < plane; p++) {
            int best = 0;
            float bestValue = logits[p];
            for (int k = 1; k < logitChannels; k++) {
                float v = logits[k * plane + p];
                if (v > bestValue) {
                    bestValue = v;
                    best = k;
                }
            }
            map[p] = best;
        }
        return new Prediction(height, width, logitChannels, map, logits);
    }

    /**
     * The class probabilities, {@link #numClasses()}{@code *H*W}, CHW: the softmax of the logits over channels; for a
     * one-channel model, {@code 1 - sigmoid} (class 0) and {@code sigmoid} (class 1).
     */
    public float[] probabilities() {
        return probabilities(logitChannels, height * width, logits);
    }

    /** {@link #probabilities()} of {@code logits} ({@code k} channels of {@code plane} pixels, CHW). */
    static float[] probabilities(int k, int plane, float[] logits) {
        float[] probabilities = new float[(k == 1 ? 2 : k) * plane];
        for (int i = 0; i < plane; i++) {
            if (k == 1) {
                float p = (float) (1 / (1 + Math.exp(-logits[i])));
                probabilities[i] = 1 - p;
                probabilities[plane + i] = p;
                continue;
            }
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                max = Math.max(max, logits[c * plane + i]);
            }
            float sum = 0;
            for (int c = 0; c < k; c++) {
                float e = (float) Math.exp(logits[c * plane + i] - max);
                probabilities[c * plane + i] = e;
                sum += e;
            }
            for (int c = 0; c < k; c++) {
                probabilities[c * plane + i] /= sum;
            }
        }
        return probabilities;
    }

    /** Number of classes the map can hold: K, or 2 for a one-channel model. */
    public int numClasses() {
        return logitChannels == 1 ? 2 : logitChannels;
    }
}
