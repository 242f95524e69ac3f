package io.segnet.data.m2nist;

import io.segnet.data.DataException;
import io.segnet.data.DataProblem.Kind;
import io.segnet.data.Sample;
import io.segnet.data.dataset.InMemorySource;
import io.segnet.data.io.NpyReader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the original M2NIST files (Kaggle "m2nist" by F. Hubble) for users who have them:
 * {@code combined.npy}, images {@code [N,64,84]} with values 0..255, and {@code segmented.npy}, one-hot
 * masks {@code [N,64,84,11]} whose channel {@code k < 10} marks digit {@code k} and channel 10 the
 * background. Any element type NumPy saves ({@code uint8}, {@code int64}, {@code float32}, ...) is accepted.
 *
 * <p>Images become {@code [1,H,W]} floats {@code value / 255}; each mask pixel becomes the channel holding
 * its largest value (the first one on ties), or the ignore value 255 where every channel is 0 (no class
 * marked). The files are streamed one image at a time, so the 296 MB {@code segmented.npy} is never held
 * whole; the result keeps all samples in memory (about 215 MB for the 5,000 images).
 */
public final class M2nistFiles {

    private M2nistFiles() {
    }

    /**
     * Reads both files.
     *
     * @throws DataException naming the file for a missing or damaged file, a shape other than
     *                       {@code [N,H,W]} and {@code [N,H,W,K]}, differing N/H/W, or pixel values outside
     *                       0..255
     */
    public static InMemorySource read(Path combinedNpy, Path segmentedNpy) {
        try (NpyReader images = NpyReader.open(combinedNpy); NpyReader masks = NpyReader.open(segmentedNpy)) {
            long[] is = images.header().shape();
            long[] ms = masks.header().shape();
            if (is.length != 3) {
                throw DataException.of(combinedNpy, Kind.BAD_CONTENT, "images have shape "
                        + images.header().shapeString() + ", expected (N, H, W) such as (5000, 64, 84)",
                        "give M2NIST's combined.npy");
            }
            if (ms.length != 4 || ms[0] != is[0] || ms[1] != is[1] || ms[2] != is[2] || ms[3] < 2) {
                throw DataException.of(segmentedNpy, Kind.BAD_CONTENT, "masks have shape "
                        + masks.header().shapeString() + " but the images " + combinedNpy.getFileName() + " have "
                        + images.header().shapeString() + "; expected (" + is[0] + ", " + is[1] + ", " + is[2]
                        + ", 11)", "give the segmented.npy that belongs to this combined.npy");
            }
            int n = Math.toIntExact(is[0]);
            int h = Math.toIntExact(is[1]);
            int w = Math.toIntExact(is[2]);
            int k = Math.toIntExact(ms[3]);
            int plane = h * w;
            double[] imageBuf = new double[plane];
            double[] maskBuf = new double[plane * k];
            List<Sample> samples = new ArrayList<>(n);
            String format = "%0" + Math.max(5, String.valueOf(Math.max(0, n - 1)).length()) + "d";
            for (int s = 0; s < n; s++) {
                images.read(imageBuf, 0, plane);
                masks.read(maskBuf, 0, plane * k);
                float[] image = new float[plane];
                for (int p = 0; p < plane; p++) {
                    double v = imageBuf[p];
                    if (!(v >= 0 && v <= 255)) {
                        throw DataException.of(combinedNpy, Kind.BAD_CONTENT, "pixel value " + v + " of image " + s
                                + " at (y=" + p / w + ", x=" + p % w + ") is outside 0..255",
                                "give M2NIST's combined.npy, whose pixels are 0..255");
                    }
                    image[p] = (float) (v / 255.0);
                }
                int[] mask = new int[plane];
                for (int p = 0; p < plane; p++) {
                    int best = -1;
                    double bestValue = 0;
                    for (int c = 0; c < k; c++) {
                        double v = maskBuf[p * k + c];
                        if (v > bestValue) {
                            bestValue = v;
                            best = c;
                        }
                    }
                    mask[p] = best < 0 ? Sample.DEFAULT_IGNORE : best;
                }
                samples.add(Sample.of(String.format(format, s), 1, h, w, image, mask));
            }
            List<String> names = k == M2nistGenerator.NUM_CLASSES ? M2nistGenerator.CLASS_NAMES : defaultNames(k);
            return InMemorySource.of(samples, k, names);
        }
    }

    private static List<String> defaultNames(int k) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            names.add("class" + i);
        }
        return names;
    }
}
