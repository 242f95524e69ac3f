package io.segnet.metrics;

/**
 * How per-pixel counts become scores.
 *
 * <ul>
 *   <li>{@link #DATASET} (the default): sum one confusion matrix over every pixel of every image, then derive each
 *       score from it. This is mmsegmentation's {@code IoUMetric} (summed {@code total_area_*}), torchvision's
 *       reference {@code ConfusionMatrix} and the FCN paper; most papers' tables use it.</li>
 *   <li>{@link #IMAGEWISE}: score every image on its own, then average: per class, the mean over images of that
 *       image's score; the summary means are then means over classes of those per-class values, and PA and FWIoU are
 *       means over images. This is segmentation_models.pytorch's {@code macro-imagewise} reduction (with its
 *       {@code zero_division} as {@link MetricConfig#zeroDivision()}). Small objects weigh as much as large ones, so
 *       its numbers are usually lower and are not comparable with {@link #DATASET} numbers.</li>
 * </ul>
 */
public enum Reduction {
    /** One confusion matrix over the whole data set, then the scores (mmsegmentation, torchvision, FCN). */
    DATASET,
    /** Scores per image, then averaged (segmentation_models.pytorch's {@code macro-imagewise}). */
    IMAGEWISE
}
