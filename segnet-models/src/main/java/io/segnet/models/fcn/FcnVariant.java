package io.segnet.models.fcn;

import java.util.List;

/** Which skip connections an FCN fuses before its final upsampling. */
public enum FcnVariant {
    /** No skips: the stride-32 scores upsampled 32x. */
    FCN_32S(List.of()),
    /** Scores fused with a score layer on the stride-16 map (pool4), upsampled 16x. */
    FCN_16S(List.of(16)),
    /** Scores fused with score layers on the stride-16 (pool4) and stride-8 (pool3) maps, upsampled 8x. */
    FCN_8S(List.of(16, 8));

    private final List<Integer> skipStrides;

    FcnVariant(List<Integer> skipStrides) {
        this.skipStrides = skipStrides;
    }

    /** Strides of the fused skip maps, deepest first. */
    public List<Integer> skipStrides() {
        return skipStrides;
    }
}
