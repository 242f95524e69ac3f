package io.segnet.onnx;

/**
 * How {@link OnnxExport} writes a model.
 *
 * @param foldBatchNorm whether a batch norm that directly follows a convolution is folded into its weights (the
 *                      default; faster in every runtime) rather than written as {@code BatchNormalization}
 * @param classMap      whether the file has a second output {@code classes}: the arg-max class per pixel,
 *                      {@code INT64 [N, 1, H, W]} (for a one-class model, 1 where the logit is positive)
 * @param height        the fixed input height, or 0 for a dynamic height
 * @param width         the fixed input width, or 0 for a dynamic width (both fixed or both dynamic)
 */
public record OnnxExportOptions(boolean foldBatchNorm, boolean classMap, int height, int width) {

    public OnnxExportOptions {
        if (height < 0 || width < 0 || (height == 0) != (width == 0)) {
            throw new IllegalArgumentException("OnnxExportOptions: give both height and width (a fixed size) or"
                    + " neither (dynamic), got " + height + "x" + width);
        }
    }

    /** Batch norm folded, logits only, dynamic batch, height and width. */
    public static OnnxExportOptions defaults() {
        return new OnnxExportOptions(true, false, 0, 0);
    }

    /** These options with batch-norm folding on or off. */
    public OnnxExportOptions withFoldBatchNorm(boolean fold) {
        return new OnnxExportOptions(fold, classMap, height, width);
    }

    /** These options with or without the {@code classes} output. */
    public OnnxExportOptions withClassMap(boolean withClasses) {
        return new OnnxExportOptions(foldBatchNorm, withClasses, height, width);
    }

    /** These options with the input fixed at {@code height x width} (the batch stays dynamic). */
    public OnnxExportOptions withFixedSize(int fixedHeight, int fixedWidth) {
        if (fixedHeight < 1 || fixedWidth < 1) {
            throw new IllegalArgumentException("OnnxExportOptions: a fixed size must be positive, got " + fixedHeight
                    + "x" + fixedWidth);
        }
        return new OnnxExportOptions(foldBatchNorm, classMap, fixedHeight, fixedWidth);
    }

    /** Whether the input height and width are fixed. */
    public boolean fixedSize() {
        return height > 0;
    }
}
