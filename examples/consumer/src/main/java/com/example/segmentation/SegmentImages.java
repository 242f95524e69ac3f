package com.example.segmentation;

import io.segnet.models.SegmentationModel;
import io.segnet.models.SegmentationModels;
import io.segnet.models.unet.UNetConfig;
import java.nio.file.Path;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Java snippet of docs/getting-started.md ("From Java"), as a consumer of segnet's published artifacts writes it:
 * build a small U-Net, predict on an image, save the model, load it and predict again.
 */
public final class SegmentImages {
    private SegmentImages() {
    }

    /**
     * Runs the snippet.
     *
     * @param args the file to save the model to (default {@code unet.zip})
     * @throws Exception if saving or loading fails, or the loaded model predicts differently
     */
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "unet.zip");

        // A classic U-Net for 1-channel 64x64 images and 2 classes: base width 8, 2 poolings.
        SegmentationModel model = SegmentationModels.create(UNetConfig.classic(1, 2, 64, 64, 8, 2));

        INDArray images = Nd4j.rand(DataType.FLOAT, 1, 1, 64, 64);   // [N, channels, H, W]
        INDArray logits = model.logits(images);                     // [N, classes, H, W]
        INDArray classes = model.predict(images);                   // [N, 1, H, W], INT32 class per pixel

        model.save(file, true);                                     // weights, config and model card in one zip
        SegmentationModel loaded = SegmentationModel.load(file);

        if (!loaded.predict(images).equals(classes) || !loaded.logits(images).equalsWithEps(logits, 1e-5)) {
            throw new IllegalStateException("the model loaded from " + file + " predicts differently");
        }
        System.out.println("logits " + java.util.Arrays.toString(logits.shape()) + ", classes "
                + java.util.Arrays.toString(classes.shape()) + "; saved to " + file + ", reloaded: same output");
    }
}
