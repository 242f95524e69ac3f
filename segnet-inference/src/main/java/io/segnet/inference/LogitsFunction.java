package io.segnet.inference;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A segmentation network seen from inference: images {@code [N, C, H, W]} (float, preprocessed) to logits
 * {@code [N, K, H, W]} at the same height and width. Implementations need not be thread-safe: {@link Predictor}
 * calls one from one thread at a time. The returned array belongs to the caller, which may release it
 * ({@code INDArray.close()}) once it has copied the values: return a new array, never one the network keeps.
 */
@FunctionalInterface
public interface LogitsFunction {

    /** The logits of a batch of images. */
    INDArray logits(INDArray images);
}
