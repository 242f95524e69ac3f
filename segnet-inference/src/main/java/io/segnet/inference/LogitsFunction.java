package io.segnet.inference;

import io.segnet.models.SegmentationModel;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A segmentation network seen from inference: images {@code [N, C, H, W]} (float, preprocessed) to logits
 * {@code [N, K, H, W]} at the same height and width. Implementations need not be thread-safe: {@link Predictor}
 * calls one from one thread at a time. The returned array belongs to the caller, which hands it to
 * {@link #release} once it has copied the values: return a new array, never one the network keeps.
 */
@FunctionalInterface
public interface LogitsFunction {

    /** The logits of a batch of images. */
    INDArray logits(INDArray images);

    /**
     * Called with each array {@link #logits} returned once its values have been copied; the array is not used
     * afterwards. By default closes it; a network that can reuse the memory for its next call takes it back instead
     * ({@code SegmentationModel.recycle}).
     */
    default void release(INDArray logits) {
        logits.close();
    }

    /** The logits function of a segnet model, which gives released logits back to the model for its next call. */
    static LogitsFunction of(SegmentationModel model) {
        return new LogitsFunction() {
            @Override
            public INDArray logits(INDArray images) {
                return model.logits(images);
            }

            @Override
            public void release(INDArray logits) {
                model.recycle(logits);
            }
        };
    }
}
