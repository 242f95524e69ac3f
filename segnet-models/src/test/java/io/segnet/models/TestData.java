package io.segnet.models;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

/**
 * Small synthetic segmentation batches: dark images with up to three bright, digit-sized strokes (bars, rings,
 * crosses, diagonal lines) on a noisy background, each stroke labelled with its own class (1 .. classes-1; background
 * 0). Stands in for segnet-data's M2NIST generator, which was not available when these tests were written.
 */
final class TestData {
    private TestData() {
    }

    /** Images {@code [n, channels, h, w]} and labels {@code [n, 1, h, w]} (float class ids); see the class doc. */
    static INDArray[] batch(long seed, int n, int channels, int h, int w, int classes) {
        Random r = new Random(seed);
        float[] img = new float[n * channels * h * w];
        float[] lab = new float[n * h * w];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 1 + r.nextInt(3); k++) {
                int cls = classes == 1 ? 1 : 1 + r.nextInt(classes - 1);
                int size = Math.max(3, Math.min(h, w) / 3);
                int top = r.nextInt(Math.max(1, h - size)), left = r.nextInt(Math.max(1, w - size));
                int shape = r.nextInt(4);
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        if (stroke(shape, y, x, size)) {
                            lab[(i * h + top + y) * w + left + x] = cls;
                        }
                    }
                }
            }
            for (int c = 0; c < channels; c++) {
                for (int p = 0; p < h * w; p++) {
                    float v = lab[i * h * w + p] > 0 ? 0.8f + 0.05f * (c + lab[i * h * w + p]) : 0.1f;
                    img[(i * channels + c) * h * w + p] = v + 0.05f * (float) r.nextGaussian();
                }
            }
        }
        return new INDArray[]{Nd4j.create(img, new long[]{n, channels, h, w}, 'c'),
                Nd4j.create(lab, new long[]{n, 1, h, w}, 'c')};
    }

    private static boolean stroke(int shape, int y, int x, int size) {
        int m = size / 2;
        return switch (shape) {
            case 0 -> Math.abs(x - m) <= size / 6;                                   // a bar, like a 1
            case 1 -> {                                                              // a ring, like a 0
                double d = Math.hypot(y - m, x - m);
                yield d <= m && d >= m - Math.max(1, size / 5);
            }
            case 2 -> Math.abs(x - m) <= size / 8 || Math.abs(y - m) <= size / 8;    // a cross, like a 4
            default -> Math.abs(x - y) <= size / 8 || y <= size / 6;                 // a 7
        };
    }

    /** Random images {@code [n, channels, h, w]} in [0, 1). */
    static INDArray images(long seed, int n, int channels, int h, int w) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, n, channels, h, w);
    }
}
