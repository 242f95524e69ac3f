package io.segnet.train.report;

import io.segnet.data.Sample;
import io.segnet.metrics.ConfusionMatrix;
import io.segnet.metrics.SegmentationMetrics;

import java.util.Objects;

/**
 * One image of the report with its ground truth and prediction.
 *
 * @param sample     the image ({@code C x H x W} in [0, 1], 1 or 3 channels shown as gray or RGB) and its mask
 *                   ({@code H x W} class indices or the ignore value)
 * @param prediction {@code H x W} predicted classes, row-major
 * @param meanIoU    the image's mean IoU over the classes in its truth or prediction (NaN if none)
 */
public record SamplePanel(Sample sample, int[] prediction, double meanIoU) {

    /** Checks that the prediction covers the image and that the sample has a mask. */
    public SamplePanel {
        Objects.requireNonNull(sample, "sample");
        Objects.requireNonNull(prediction, "prediction");
        if (!sample.hasMask() || prediction.length != sample.height() * sample.width()) {
            throw new IllegalArgumentException("a report panel needs a masked sample and an " + sample.height() + "x"
                    + sample.width() + " prediction, got " + prediction.length + " values for '" + sample.id() + "'");
        }
    }

    /**
     * The mean IoU of one image: {@link SegmentationMetrics#meanIoU} of its own confusion matrix, i.e. over the classes
     * that occur in its truth or its prediction (pixels whose truth is {@code ignoreValue} left out); NaN if none.
     */
    public static double meanIoU(int[] prediction, int[] truth, int numClasses, int ignoreValue) {
        return SegmentationMetrics.meanIoU(new ConfusionMatrix(numClasses, ignoreValue).add(prediction, truth));
    }
}
