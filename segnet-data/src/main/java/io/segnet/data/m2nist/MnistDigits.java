package io.segnet.data.m2nist;

import io.segnet.data.DataException;
import io.segnet.data.DataProblem;
import io.segnet.data.DataProblem.Kind;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * Handwritten digits in MNIST's IDX format: 28x28 grayscale images (0 background, up to 255 ink) with
 * their labels 0..9.
 *
 * <p>{@link #testSet()} loads the MNIST test set (10,000 digits; Y. LeCun, C. Cortes, C. J. C. Burges,
 * licence CC BY-SA 3.0) that ships inside segnet-data's jar ({@code io/segnet/data/m2nist/}), so the
 * M2NIST generator needs no download. {@link #read(Path, Path)} reads any IDX pair, gzipped or not.
 */
public final class MnistDigits {

    /** Side of an MNIST digit image. */
    public static final int SIZE = 28;

    private static final String IMAGES_RESOURCE = "t10k-images-idx3-ubyte.gz";
    private static final String LABELS_RESOURCE = "t10k-labels-idx1-ubyte.gz";
    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;

    private static volatile MnistDigits testSet;

    private final byte[] pixels;
    private final byte[] labels;

    private MnistDigits(byte[] pixels, byte[] labels) {
        this.pixels = pixels;
        this.labels = labels;
    }

    /** The MNIST test set bundled in the jar (loaded once, about 8 MB in memory). */
    public static MnistDigits testSet() {
        MnistDigits d = testSet;
        if (d == null) {
            synchronized (MnistDigits.class) {
                d = testSet;
                if (d == null) {
                    try (InputStream images = resource(IMAGES_RESOURCE); InputStream labels = resource(LABELS_RESOURCE)) {
                        d = read(images, labels, Path.of("classpath:io/segnet/data/m2nist/" + IMAGES_RESOURCE),
                                Path.of("classpath:io/segnet/data/m2nist/" + LABELS_RESOURCE));
                    } catch (IOException e) {
                        throw new IllegalStateException("cannot read the bundled MNIST test set: " + e, e);
                    }
                    testSet = d;
                }
            }
        }
        return d;
    }

    /**
     * Reads an IDX image file ({@code idx3-ubyte}) and its label file ({@code idx1-ubyte}), each plain or
     * gzipped.
     *
     * @throws DataException naming the file if it is missing, not IDX, truncated, or if the counts differ
     */
    public static MnistDigits read(Path images, Path labels) {
        for (Path p : new Path[]{images, labels}) {
            if (!Files.isRegularFile(p)) {
                throw DataException.of(p, Kind.MISSING_FOLDER, "file does not exist",
                        "give the MNIST files t10k-images-idx3-ubyte(.gz) and t10k-labels-idx1-ubyte(.gz)");
            }
        }
        try (InputStream i = Files.newInputStream(images); InputStream l = Files.newInputStream(labels)) {
            return read(i, l, images, labels);
        } catch (IOException e) {
            throw new DataException(new DataProblem(images, Kind.UNREADABLE, "cannot read: " + e,
                    "check the files' permissions"), e);
        }
    }

    private static MnistDigits read(InputStream images, InputStream labels, Path imagesName, Path labelsName)
            throws IOException {
        byte[] pixels = readIdx(images, imagesName, IMAGES_MAGIC, 3);
        byte[] lab = readIdx(labels, labelsName, LABELS_MAGIC, 1);
        int n = pixels.length / (SIZE * SIZE);
        if (lab.length != n) {
            throw DataException.of(labelsName, Kind.BAD_CONTENT, "holds " + lab.length + " labels but " + imagesName
                    + " holds " + n + " images", "use the label file that belongs to the image file");
        }
        for (int k = 0; k < lab.length; k++) {
            if (lab[k] < 0 || lab[k] > 9) {
                throw DataException.of(labelsName, Kind.BAD_CONTENT, "label " + lab[k] + " of digit " + k
                        + " is not 0..9", "use an MNIST label file");
            }
        }
        return new MnistDigits(pixels, lab);
    }

    private static byte[] readIdx(InputStream raw, Path name, int magic, int dims) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        InputStream in = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(buffered, 1 << 16) : buffered;
        DataInputStream data = new DataInputStream(in);
        try {
            int m = data.readInt();
            if (m != magic) {
                throw DataException.of(name, Kind.BAD_CONTENT, String.format("IDX magic number is 0x%08x, expected"
                        + " 0x%08x (%s)", m, magic, dims == 3 ? "unsigned-byte images" : "unsigned-byte labels"),
                        "give the MNIST " + (dims == 3 ? "images" : "labels") + " file (idx" + dims + "-ubyte)");
            }
            int n = data.readInt();
            if (dims == 3) {
                int rows = data.readInt();
                int cols = data.readInt();
                if (rows != SIZE || cols != SIZE) {
                    throw DataException.of(name, Kind.BAD_CONTENT, "images are " + rows + "x" + cols + ", expected 28x28",
                            "give MNIST digits");
                }
            }
            byte[] out = new byte[n * (dims == 3 ? SIZE * SIZE : 1)];
            data.readFully(out);
            return out;
        } catch (EOFException e) {
            throw new DataException(new DataProblem(name, Kind.UNREADABLE, "file ends early: it is truncated",
                    "download or copy the file again"), e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = MnistDigits.class.getResourceAsStream(name);
        return Objects.requireNonNull(in, "resource io/segnet/data/m2nist/" + name
                + " is missing from the class path; rebuild segnet-data");
    }

    /** Number of digits. */
    public int size() {
        return labels.length;
    }

    /** The label (0..9) of digit {@code i}. */
    public int label(int i) {
        return labels[i];
    }

    /** Pixel {@code (y, x)} of digit {@code i}, 0..255. */
    public int pixel(int i, int y, int x) {
        return pixels[i * SIZE * SIZE + y * SIZE + x] & 0xFF;
    }

    /** A copy of digit {@code i}'s 784 pixels, row-major, as unsigned bytes. */
    public byte[] digit(int i) {
        byte[] out = new byte[SIZE * SIZE];
        System.arraycopy(pixels, Objects.checkIndex(i, size()) * SIZE * SIZE, out, 0, out.length);
        return out;
    }
}
