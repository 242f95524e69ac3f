package io.segnet.data.m2nist;

import io.segnet.data.DataException;
import io.segnet.data.DataProblem.Kind;
import io.segnet.data.Rng;
import io.segnet.data.Sample;
import io.segnet.data.SampleSource;
import io.segnet.data.dataset.Split;
import io.segnet.data.io.ImageFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * M2NIST, generated on demand: grayscale images (64x84 by default) holding 1 to 3 MNIST digits at random
 * non-overlapping positions, unscaled and unrotated, labelled per pixel with 11 classes as the original
 * M2NIST files (Kaggle "m2nist", F. Hubble): class {@code k} for digit {@code k}, class 10 for background.
 *
 * <p>Image {@code i} is a function of (seed, stream, i) alone: the same seed gives bitwise the same images
 * in any order and on any number of threads, and any number of images can be drawn. How one image is made,
 * with a generator {@code Rng.of(seed, stream, i)}:
 * <ol>
 *   <li>the digit count is uniform over {@code minDigits..maxDigits} (1, 2, 3 each with probability 1/3);</li>
 *   <li>each digit is drawn uniformly, with replacement, from this generator's pool of MNIST test digits;</li>
 *   <li>its bounding box (the tight box of its nonzero pixels, at most 28x28) is placed at a uniform
 *       position inside the canvas; a position whose box overlaps an earlier digit's box is redrawn (up to
 *       100 times, then the whole layout starts over). Overlap is judged on these boxes, so digits never
 *       touch each other's ink, and image and labels are unambiguous;</li>
 *   <li>the image is the maximum of the placed digits (on disjoint boxes, simply their union) divided by
 *       255; a pixel takes its digit's class where the MNIST value is above {@code threshold} (0: every
 *       nonzero pixel, as the original), class 10 elsewhere.</li>
 * </ol>
 * The original notebook placed digits in left-to-right slots; this generator places them anywhere, so
 * positions vary more, while the statistics the model sees (digit sizes, 1..3 digits, 11 classes, about
 * 80-90% background) are the same.
 *
 * <p>{@link #split} makes a training and a validation generator whose digit pools are disjoint (no MNIST
 * digit appears in both), so validation measures generalisation to unseen handwriting.
 */
public final class M2nistGenerator implements SampleSource {

    /** Number of classes: digits 0..9 and background. */
    public static final int NUM_CLASSES = 11;
    /** The background class id. */
    public static final int BACKGROUND = 10;
    /** Class names: "0".."9", "background". */
    public static final List<String> CLASS_NAMES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9",
            "background");

    private static final int MAX_TRIES = 100;
    private static final long POOL_STREAM = 0xD161L;

    /**
     * One digit placed on the canvas.
     *
     * @param mnistIndex index of the digit in the MNIST set
     * @param digit      its label 0..9, also its class
     * @param top        canvas row of the top of its ink box
     * @param left       canvas column of the left of its ink box
     * @param height     ink box height
     * @param width      ink box width
     */
    public record PlacedDigit(int mnistIndex, int digit, int top, int left, int height, int width) {
        /** Whether two ink boxes share a pixel. */
        public boolean overlaps(PlacedDigit o) {
            return top < o.top + o.height && o.top < top + height && left < o.left + o.width && o.left < left + width;
        }
    }

    private final MnistDigits digits;
    private final int[] pool;
    private final M2nistConfig config;
    private final long seed;
    private final long stream;
    private final int size;
    private final int[][] boxes;

    private M2nistGenerator(MnistDigits digits, int[] pool, M2nistConfig config, long seed, long stream, int size) {
        if (size < 0) {
            throw new IllegalArgumentException("size is " + size + "; use the number of images wanted, >= 0");
        }
        this.boxes = new int[digits.size()][];
        for (int d : pool) {
            boxes[d] = inkBox(digits, d);
        }
        int[] inked = Arrays.stream(pool).filter(d -> boxes[d] != null).toArray();
        if (inked.length == 0) {
            throw new IllegalArgumentException("the digit pool holds no digit with any nonzero pixel");
        }
        this.digits = digits;
        this.pool = inked;
        this.config = Objects.requireNonNull(config, "config");
        this.seed = seed;
        this.stream = stream;
        this.size = size;
    }

    /** {@code size} images of the default configuration from all 10,000 bundled MNIST test digits. */
    public static M2nistGenerator of(long seed, int size) {
        return of(seed, size, M2nistConfig.DEFAULT);
    }

    /** {@code size} images of the given configuration from all 10,000 bundled MNIST test digits. */
    public static M2nistGenerator of(long seed, int size, M2nistConfig config) {
        MnistDigits d = MnistDigits.testSet();
        return new M2nistGenerator(d, IntStream.range(0, d.size()).toArray(), config, seed, 0, size);
    }

    /**
     * A training and a validation generator drawing from disjoint digit pools: the MNIST test digits are
     * shuffled by the seed, 20% go to validation and 80% to training.
     */
    public static Split<M2nistGenerator> split(long seed, int trainSize, int validationSize) {
        return split(seed, trainSize, validationSize, 0.2, M2nistConfig.DEFAULT, MnistDigits.testSet());
    }

    /**
     * A training and a validation generator drawing from disjoint digit pools.
     *
     * @param validationDigitFraction share of the digits reserved for validation, in (0, 1)
     */
    public static Split<M2nistGenerator> split(long seed, int trainSize, int validationSize,
                                               double validationDigitFraction, M2nistConfig config,
                                               MnistDigits digits) {
        if (!(validationDigitFraction > 0 && validationDigitFraction < 1)) {
            throw new IllegalArgumentException("validationDigitFraction is " + validationDigitFraction
                    + "; use a value strictly between 0 and 1, e.g. 0.2");
        }
        int[] perm = Rng.of(seed, POOL_STREAM).permutation(digits.size());
        int nVal = (int) Math.max(1, Math.min(digits.size() - 1, Math.round(digits.size() * validationDigitFraction)));
        int[] valPool = Arrays.copyOfRange(perm, 0, nVal);
        int[] trainPool = Arrays.copyOfRange(perm, nVal, perm.length);
        Arrays.sort(valPool);
        Arrays.sort(trainPool);
        return new Split<>(new M2nistGenerator(digits, trainPool, config, seed, 0, trainSize),
                new M2nistGenerator(digits, valPool, config, seed, 1, validationSize));
    }

    @Override
    public int size() {
        return size;
    }

    /** Image {@code index}: {@code [1,H,W]} floats in [0,1], mask with classes 0..10. */
    @Override
    public Sample get(int index) {
        Objects.checkIndex(index, size);
        byte[][] raw = render(layout(index));
        float[] image = new float[raw[0].length];
        int[] mask = new int[raw[1].length];
        for (int i = 0; i < image.length; i++) {
            image[i] = (raw[0][i] & 0xFF) / 255f;
            mask[i] = raw[1][i];
        }
        return new Sample(id(index), 1, config.height(), config.width(), image, mask, Sample.DEFAULT_IGNORE);
    }

    /** {@code index} zero-padded to 5 digits (or more for larger sizes), so names sort in order. */
    @Override
    public String id(int index) {
        int width = Math.max(5, String.valueOf(Math.max(0, size - 1)).length());
        return String.format("%0" + width + "d", index);
    }

    @Override
    public int numClasses() {
        return NUM_CLASSES;
    }

    @Override
    public List<String> classNames() {
        return CLASS_NAMES;
    }

    /** The configuration. */
    public M2nistConfig config() {
        return config;
    }

    /** The MNIST indices this generator draws digits from, ascending. */
    public int[] digitPool() {
        return pool.clone();
    }

    /** The digits of image {@code index} with their ink boxes, in placement order. */
    public List<PlacedDigit> layout(int index) {
        Objects.checkIndex(index, size);
        Rng rng = Rng.of(seed, stream, index);
        while (true) {
            int n = rng.nextInt(config.minDigits(), config.maxDigits());
            List<PlacedDigit> placed = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                int d = pool[rng.nextInt(pool.length)];
                int[] box = boxes[d];
                int bh = box[2] - box[0];
                int bw = box[3] - box[1];
                PlacedDigit p = null;
                for (int t = 0; t < MAX_TRIES && p == null; t++) {
                    PlacedDigit candidate = new PlacedDigit(d, digits.label(d), rng.nextInt(0, config.height() - bh),
                            rng.nextInt(0, config.width() - bw), bh, bw);
                    if (placed.stream().noneMatch(candidate::overlaps)) {
                        p = candidate;
                    }
                }
                if (p == null) {
                    break;
                }
                placed.add(p);
            }
            if (placed.size() == n) {
                return placed;
            }
        }
    }

    /**
     * Writes images {@code 0..size-1} as 8-bit PNGs: {@code dir/image/<id>.png} (0..255) and
     * {@code dir/mask/<id>.png} (class ids 0..10), readable with
     * {@code SegmentationDataset.fromFolders(dir.resolve("image"), dir.resolve("mask"), DatasetConfig.of(11))}.
     * Uses all cores; the files do not depend on the thread count.
     *
     * @throws DataException if {@code dir/image} or {@code dir/mask} already holds files (nothing is overwritten)
     */
    public void writePngs(Path dir) throws IOException {
        Path imageDir = dir.resolve("image");
        Path maskDir = dir.resolve("mask");
        for (Path d : new Path[]{imageDir, maskDir}) {
            if (Files.isDirectory(d)) {
                try (Stream<Path> s = Files.list(d)) {
                    if (s.findAny().isPresent()) {
                        throw DataException.of(d, Kind.BAD_CONTENT, "folder already holds files",
                                "write into a new or empty folder; M2nistGenerator never overwrites files");
                    }
                }
            }
        }
        Files.createDirectories(imageDir);
        Files.createDirectories(maskDir);
        try {
            IntStream.range(0, size).parallel().forEach(i -> {
                byte[][] raw = render(layout(i));
                try {
                    ImageFiles.writeGrayPng(imageDir.resolve(id(i) + ".png"), config.height(), config.width(), raw[0]);
                    ImageFiles.writeGrayPng(maskDir.resolve(id(i) + ".png"), config.height(), config.width(), raw[1]);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** {image bytes 0..255, mask bytes 0..10} of a layout. */
    private byte[][] render(List<PlacedDigit> layout) {
        int w = config.width();
        byte[] image = new byte[config.height() * w];
        byte[] mask = new byte[image.length];
        Arrays.fill(mask, (byte) BACKGROUND);
        for (PlacedDigit p : layout) {
            int[] box = boxes[p.mnistIndex()];
            for (int y = 0; y < p.height(); y++) {
                for (int x = 0; x < p.width(); x++) {
                    int v = digits.pixel(p.mnistIndex(), box[0] + y, box[1] + x);
                    int o = (p.top() + y) * w + p.left() + x;
                    if (v > (image[o] & 0xFF)) {
                        image[o] = (byte) v;
                    }
                    if (v > config.threshold()) {
                        mask[o] = (byte) p.digit();
                    }
                }
            }
        }
        return new byte[][]{image, mask};
    }

    /** {top, left, bottom, right} (exclusive ends) of a digit's nonzero pixels; null for a blank digit. */
    private static int[] inkBox(MnistDigits digits, int d) {
        int top = MnistDigits.SIZE;
        int left = MnistDigits.SIZE;
        int bottom = 0;
        int right = 0;
        for (int y = 0; y < MnistDigits.SIZE; y++) {
            for (int x = 0; x < MnistDigits.SIZE; x++) {
                if (digits.pixel(d, y, x) != 0) {
                    top = Math.min(top, y);
                    left = Math.min(left, x);
                    bottom = Math.max(bottom, y + 1);
                    right = Math.max(right, x + 1);
                }
            }
        }
        if (bottom == 0) {
            return null;
        }
        return new int[]{top, left, bottom, right};
    }
}
