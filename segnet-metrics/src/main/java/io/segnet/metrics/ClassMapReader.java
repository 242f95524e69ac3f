package io.segnet.metrics;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads class maps ({@code [H,W]}, {@code [N,H,W]} or {@code [N,1,H,W]} arrays of integer class ids, stored as any
 * numeric type) and score maps ({@code [N,C,H,W]} logits or probabilities, reduced by argmax over {@code C}) into
 * flat {@code int} arrays that it reuses from call to call. Each array is read once, in bulk. Not thread-safe.
 */
final class ClassMapReader {

    /** Values are read through this many floats at a time. */
    private static final int CHUNK = 1 << 16;

    /**
     * Class maps of {@code images} images of {@code height x width} pixels, flattened in 'c' order: pixel
     * {@code (n, y, x)} is at index {@code (n * height + y) * width + x}. The arrays may be longer than
     * {@link #pixels()}; only the first {@link #pixels()} entries are this batch.
     */
    record Batch(int[] prediction, int[] truth, int images, int height, int width) {
        int pixelsPerImage() {
            return height * width;
        }

        int pixels() {
            return images * height * width;
        }

        /** Describes flat index {@code i} as "image n, row y, column x". */
        String locate(int i) {
            int perImage = pixelsPerImage();
            int inImage = i % perImage;
            return "image " + (i / perImage) + ", row " + (inImage / width) + ", column " + (inImage % width);
        }
    }

    private int[] prediction = new int[0];
    private int[] truth = new int[0];
    private float[] chunk = new float[0];
    private float[] best = new float[0];

    /**
     * Reads a predicted class map and a ground-truth class map of the same images.
     *
     * @throws IllegalArgumentException if a shape is not a class map's, the two shapes hold different images or
     *     sizes, or a value is not an integer
     */
    Batch read(INDArray predictionMap, INDArray truthMap) {
        long[] p = mapShape(predictionMap, "prediction");
        long[] t = mapShape(truthMap, "truth");
        if (!Arrays.equals(p, t)) {
            throw new IllegalArgumentException("prediction shape " + Arrays.toString(predictionMap.shape())
                    + " and truth shape " + Arrays.toString(truthMap.shape()) + " differ (as [N,H,W]: "
                    + Arrays.toString(p) + " vs " + Arrays.toString(t) + "): both must hold the same images at the "
                    + "same size; resize the prediction to the label's size before evaluating");
        }
        int n = pixelCount(t, "truth", truthMap);
        prediction = ensure(prediction, n);
        truth = ensure(truth, n);
        readIds(predictionMap, prediction, n, "prediction");
        readIds(truthMap, truth, n, "truth");
        return new Batch(prediction, truth, (int) t[0], (int) t[1], (int) t[2]);
    }

    /**
     * Reads per-class scores ({@code [N,C,H,W]}, or {@code [C,H,W]} for one image; logits or probabilities) and
     * turns them into a predicted class map by argmax over {@code C}; ties go to the lower class id. Reads the
     * ground-truth class map as {@link #read} does.
     *
     * @throws IllegalArgumentException if {@code C != numClasses}, the sizes differ from the truth's, or a score is
     *     NaN
     */
    Batch readScores(INDArray scores, INDArray truthMap, int numClasses) {
        Objects.requireNonNull(scores, "scores");
        long[] s = scores.shape();
        if (scores.rank() == 3) {
            s = new long[] {1, s[0], s[1], s[2]};
        } else if (scores.rank() != 4) {
            throw new IllegalArgumentException("scores have shape " + Arrays.toString(scores.shape())
                    + "; per-class scores are [N,C,H,W] (or [C,H,W] for one image); for a class map of ids use add()");
        }
        if (s[1] != numClasses) {
            throw new IllegalArgumentException("scores have shape " + Arrays.toString(scores.shape()) + " with "
                    + s[1] + " channels, but the matrix has " + numClasses + " classes: the channel axis (1) must "
                    + "hold one score per class");
        }
        long[] t = mapShape(truthMap, "truth");
        long[] sizes = {s[0], s[2], s[3]};
        if (!Arrays.equals(sizes, t)) {
            throw new IllegalArgumentException("scores shape " + Arrays.toString(scores.shape()) + " and truth shape "
                    + Arrays.toString(truthMap.shape()) + " hold different images or sizes ([N,H,W] "
                    + Arrays.toString(sizes) + " vs " + Arrays.toString(t) + "); resize the scores to the label's "
                    + "size before evaluating");
        }
        int n = pixelCount(t, "truth", truthMap);
        if ((long) n * numClasses > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("scores of shape " + Arrays.toString(scores.shape()) + " hold more than "
                    + Integer.MAX_VALUE + " values; pass fewer images per call");
        }
        int images = (int) t[0];
        int perImage = (int) (t[1] * t[2]);
        prediction = ensure(prediction, n);
        best = ensure(best, perImage);
        chunk = ensure(chunk, perImage);
        FloatBuffer data = contiguous(scores, DataType.FLOAT).data().asNioFloat();
        long nans = 0;
        for (int img = 0; img < images; img++) {
            int base = img * numClasses * perImage;
            int out = img * perImage;
            data.get(base, best, 0, perImage);
            for (int q = 0; q < perImage; q++) {
                prediction[out + q] = 0;
                if (Float.isNaN(best[q])) {
                    nans++;
                }
            }
            for (int c = 1; c < numClasses; c++) {
                data.get(base + c * perImage, chunk, 0, perImage);
                for (int q = 0; q < perImage; q++) {
                    float v = chunk[q];
                    if (v > best[q]) {
                        best[q] = v;
                        prediction[out + q] = c;
                    } else if (v != v) {
                        nans++;
                    }
                }
            }
        }
        if (nans > 0) {
            throw new IllegalArgumentException("scores of shape " + Arrays.toString(scores.shape()) + " hold " + nans
                    + " NaN values: the model's output is not finite, so no class can be chosen; check the model "
                    + "(learning rate, input normalisation) before evaluating it");
        }
        truth = ensure(truth, n);
        readIds(truthMap, truth, n, "truth");
        return new Batch(prediction, truth, images, (int) t[1], (int) t[2]);
    }

    /** The shape of a class map as {@code [N,H,W]}. */
    static long[] mapShape(INDArray map, String role) {
        Objects.requireNonNull(map, role);
        long[] s = map.shape();
        switch (map.rank()) {
            case 2:
                return new long[] {1, s[0], s[1]};
            case 3:
                return s.clone();
            case 4:
                if (s[1] == 1) {
                    return new long[] {s[0], s[2], s[3]};
                }
                throw new IllegalArgumentException(role + " has shape " + Arrays.toString(s) + " with " + s[1]
                        + " channels, but a class map has one ([N,1,H,W]); for per-class scores or probabilities "
                        + "[N,C,H,W] use addScores");
            default:
                throw new IllegalArgumentException(role + " has shape " + Arrays.toString(s)
                        + "; a class map is [H,W], [N,H,W] or [N,1,H,W]");
        }
    }

    private static int pixelCount(long[] nhw, String role, INDArray map) {
        long n = nhw[0] * nhw[1] * nhw[2];
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(role + " of shape " + Arrays.toString(map.shape()) + " holds " + n
                    + " pixels, more than one call can take (" + (Integer.MAX_VALUE - 8) + "); pass fewer images "
                    + "per call");
        }
        return (int) n;
    }

    private static int[] ensure(int[] a, int n) {
        return a.length >= n ? a : new int[n];
    }

    private static float[] ensure(float[] a, int n) {
        return a.length >= n ? a : new float[n];
    }

    /**
     * {@code map} as a 'c'-ordered array of {@code type} that owns its whole buffer from offset 0, so that its NIO
     * view starts at element 0; copies only when {@code map} is not already such an array.
     */
    private static INDArray contiguous(INDArray map, DataType type) {
        INDArray x = map.dataType() == type ? map : map.castTo(type);
        boolean plain = x.ordering() == 'c' && !x.isView() && x.offset() == 0 && x.data().length() == x.length();
        return plain ? x : x.dup('c');
    }

    /** Reads {@code n} integer class ids from {@code map} into {@code out[0..n)}. */
    private void readIds(INDArray map, int[] out, int n, String role) {
        if (n == 0) {
            return;
        }
        DataType type = map.dataType();
        switch (type) {
            case INT: {
                IntBuffer data = contiguous(map, DataType.INT).data().asNioInt();
                data.get(0, out, 0, n);
                return;
            }
            case LONG: {
                LongBuffer data = contiguous(map, DataType.LONG).data().asNioLong();
                long bad = 0;
                for (int i = 0; i < n; i++) {
                    long v = data.get(i);
                    out[i] = (int) v;
                    if (out[i] != v) {
                        bad++;
                    }
                }
                if (bad > 0) {
                    Map<Double, Long> tally = new TreeMap<>();
                    for (int i = 0; i < n; i++) {
                        long v = data.get(i);
                        if ((int) v != v) {
                            tally.merge((double) v, 1L, Long::sum);
                        }
                    }
                    throw notClassIds(role, tally);
                }
                return;
            }
            case DOUBLE: {
                DoubleBuffer data = contiguous(map, DataType.DOUBLE).data().asNioDouble();
                long bad = 0;
                for (int i = 0; i < n; i++) {
                    double v = data.get(i);
                    out[i] = (int) v;
                    if (out[i] != v) {
                        bad++;
                    }
                }
                if (bad > 0) {
                    Map<Double, Long> tally = new TreeMap<>();
                    for (int i = 0; i < n; i++) {
                        double v = data.get(i);
                        if ((int) v != v) {
                            tally.merge(v, 1L, Long::sum);
                        }
                    }
                    throw notClassIds(role, tally);
                }
                return;
            }
            case UTF8:
            case COMPRESSED:
            case UNKNOWN:
                throw new IllegalArgumentException(role + " has data type " + type
                        + "; a class map holds numeric class ids (FLOAT, INT, LONG, ...)");
            default:
                readFloats(contiguous(map, DataType.FLOAT).data().asNioFloat(), out, n, role);
        }
    }

    private void readFloats(FloatBuffer data, int[] out, int n, String role) {
        chunk = ensure(chunk, Math.min(CHUNK, n));
        float[] buf = chunk;
        long bad = 0;
        for (int start = 0; start < n; start += buf.length) {
            int len = Math.min(buf.length, n - start);
            data.get(start, buf, 0, len);
            for (int k = 0; k < len; k++) {
                float f = buf[k];
                int v = (int) f;
                out[start + k] = v;
                if (v != f) {
                    bad++;
                }
            }
        }
        if (bad > 0) {
            Map<Double, Long> tally = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                float f = data.get(i);
                if ((int) f != f) {
                    tally.merge((double) f, 1L, Long::sum);
                }
            }
            throw notClassIds(role, tally);
        }
    }

    private static IllegalArgumentException notClassIds(String role, Map<Double, Long> tally) {
        return new IllegalArgumentException(role + " holds values that are not integer class ids: "
                + Tally.describe(tally) + "; a class map holds whole numbers (class ids, or the ignore value)");
    }
}
