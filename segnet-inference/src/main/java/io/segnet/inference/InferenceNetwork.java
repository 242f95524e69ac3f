package io.segnet.inference;

import java.util.Objects;

/**
 * What a {@link Predictor} needs to know about a network: the function from images to logits, the image channels it
 * takes, its logit channels, and which input sizes it accepts (height and width multiples of {@code sizeMultiple},
 * at least {@code minSize}; images are padded up to such a size).
 *
 * @param function      images {@code [N, inChannels, H, W]} to logits {@code [N, logitChannels, H, W]}
 * @param inChannels    image channels, {@code >= 1}
 * @param logitChannels logit channels K, {@code >= 1} (1 for a binary sigmoid model)
 * @param sizeMultiple  accepted heights and widths are multiples of this, {@code >= 1} (e.g. 32, or 1 for any)
 * @param minSize       smallest accepted height and width, {@code >= 1}
 */
public record InferenceNetwork(LogitsFunction function, int inChannels, int logitChannels, int sizeMultiple,
                               int minSize) {

    /** Checks the counts. */
    public InferenceNetwork {
        Objects.requireNonNull(function, "function");
        if (inChannels < 1 || logitChannels < 1 || sizeMultiple < 1 || minSize < 1) {
            throw new IllegalArgumentException("inChannels (" + inChannels + "), logitChannels (" + logitChannels
                    + "), sizeMultiple (" + sizeMultiple + ") and minSize (" + minSize + ") must all be >= 1");
        }
    }

    /** The smallest accepted size along one axis that is at least {@code n}. */
    public int padTo(int n) {
        int m = Math.max(n, minSize);
        return (m + sizeMultiple - 1) / sizeMultiple * sizeMultiple;
    }

    /** Whether {@code height x width} is accepted as it is. */
    public boolean accepts(int height, int width) {
        return height == padTo(height) && width == padTo(width);
    }
}
