package io.segnet.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.segnet.data.SampleSource;
import io.segnet.data.dataset.DatasetConfig;
import io.segnet.data.dataset.InMemorySource;
import io.segnet.data.dataset.MembraneDataset;
import io.segnet.data.dataset.SegmentationDataset;
import io.segnet.data.dataset.Split;
import io.segnet.data.io.ColorTable;
import io.segnet.data.io.MaskFormat;
import io.segnet.data.m2nist.M2nistGenerator;
import io.segnet.data.transform.ColorJitter;
import io.segnet.data.transform.Compose;
import io.segnet.data.transform.PadToMultiple;
import io.segnet.data.transform.RandomFlip;
import io.segnet.data.transform.RandomRotation;
import io.segnet.data.transform.RandomScaleCrop;
import io.segnet.data.transform.Transform;
import io.segnet.examples.M2nistQuickstart;
import io.segnet.inference.Preprocessing;
import io.segnet.train.TrainingData;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code data} section of a run's settings: where the images come from, how they are split, augmented and
 * normalised. Immutable, validated on construction, read with Jackson (missing fields take the defaults of
 * {@link #m2nist()}).
 *
 * <p>Kinds ({@code type}):
 * <ul>
 *   <li>{@code m2nist}: generated from the bundled MNIST digits, {@code train} and {@code validation} images from
 *       disjoint digit pools, reproducible from {@code seed};</li>
 *   <li>{@code membrane}: the ISBI 2012 membrane images ({@code root}, default {@code data/membrane/train} found from
 *       the working directory), {@code validationCount} of the 30 held out;</li>
 *   <li>{@code folder}: {@code images} and {@code masks} folders pairing by file stem, with {@code numClasses},
 *       {@code classNames}, {@code maskFormat} ({@code index}, {@code binary255}, {@code reduceZeroLabel} or
 *       {@code rgb} with a {@code colorTable} JSON file), {@code ignoreValue}, {@code imageChannels},
 *       {@code maskSuffix}; validation from {@code validationImages}/{@code validationMasks}, else a seeded split
 *       of {@code validationFraction} (or {@code validationCount}) of the images, else none.</li>
 * </ul>
 * Training augmentation, in this order: {@code flip} (left-right, p 0.5), {@code verticalFlip}, {@code rotation}
 * (degrees, uniform in +-), random scale in [{@code minScale}, {@code maxScale}] with a {@code crop} of
 * [height, width], {@code colorJitter}; then padding to a size the model accepts. Preprocessing (training,
 * validation, prediction): {@code (x - mean) / std} per channel when {@code mean}/{@code std} are given.
 *
 * @param type               {@code m2nist}, {@code membrane} or {@code folder}
 * @param train              m2nist: training images (4000)
 * @param validation         m2nist: validation images (1000)
 * @param seed               generation and split seed (42)
 * @param images             folder: training image folder
 * @param masks              folder: training mask folder
 * @param validationImages   folder: validation image folder, or null
 * @param validationMasks    folder: validation mask folder, or null
 * @param root               membrane: folder holding {@code image/} and {@code label/}, or null to look for it
 * @param validationFraction folder: share of images held out when there are no validation folders (0: none)
 * @param validationCount    folder and membrane: images held out (used when {@code validationFraction} is 0)
 * @param numClasses         folder: number of classes
 * @param classNames         folder: class names, or null for {@code class0..}
 * @param maskFormat         folder: {@code index}, {@code binary255}, {@code reduceZeroLabel} or {@code rgb}
 * @param colorTable         folder with {@code rgb} masks: the colour table JSON file
 * @param ignoreValue        folder: mask value of ignored pixels (255)
 * @param imageChannels      folder: 0 as stored, 1 gray, 3 RGB
 * @param maskSuffix         folder: text between image stem and mask extension ("")
 * @param crop               training crop [height, width], or empty for none
 * @param minScale           smallest random scale before the crop (1)
 * @param maxScale           largest random scale before the crop (1)
 * @param flip               random left-right flips
 * @param verticalFlip       random top-bottom flips
 * @param rotation           random rotation range in degrees (0: none)
 * @param colorJitter        brightness/contrast/saturation jitter strength (0: none)
 * @param mean               normalisation means (empty: no normalisation)
 * @param std                normalisation standard deviations
 * @param cache              decode all images into memory once
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DataSpec(String type, int train, int validation, long seed, String images, String masks,
                       String validationImages, String validationMasks, String root, double validationFraction,
                       int validationCount, int numClasses, List<String> classNames, String maskFormat,
                       String colorTable, int ignoreValue, int imageChannels, String maskSuffix, List<Integer> crop,
                       double minScale, double maxScale, boolean flip, boolean verticalFlip, double rotation,
                       double colorJitter, List<Double> mean, List<Double> std, boolean cache) {

    private static final Set<String> TYPES = Set.of("m2nist", "membrane", "folder");
    private static final Set<String> MASK_FORMATS = Set.of("index", "binary255", "reducezerolabel", "rgb");

    /** Checks the fields the type uses. */
    public DataSpec {
        type = type == null ? null : type.strip().toLowerCase(Locale.ROOT);
        if (type == null || !TYPES.contains(type)) {
            throw new IllegalArgumentException("data.type is '" + type + "'; use m2nist, membrane or folder");
        }
        if (type.equals("m2nist") && (train < 1 || validation < 0)) {
            throw new IllegalArgumentException("m2nist needs train >= 1 and validation >= 0 images, got train "
                    + train + " and validation " + validation);
        }
        if (type.equals("folder")) {
            if (images == null || masks == null) {
                throw new IllegalArgumentException("a folder data set needs data.images and data.masks (the image"
                        + " and mask folders)");
            }
            if ((validationImages == null) != (validationMasks == null)) {
                throw new IllegalArgumentException("give both data.validationImages and data.validationMasks, or"
                        + " neither");
            }
        }
        maskFormat = maskFormat == null ? "index" : maskFormat;
        if (!MASK_FORMATS.contains(maskFormat.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("data.maskFormat is '" + maskFormat
                    + "'; use index, binary255, reduceZeroLabel or rgb");
        }
        if (maskFormat.equalsIgnoreCase("rgb") && colorTable == null) {
            throw new IllegalArgumentException("rgb masks need data.colorTable, a JSON file such as {\"classes\":"
                    + " [{\"name\": \"road\", \"color\": [128, 64, 128]}, ...]}");
        }
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("data.validationFraction is " + validationFraction
                    + "; use a share in [0, 1), e.g. 0.1, or 0 for none");
        }
        if (validationCount < 0) {
            throw new IllegalArgumentException("data.validationCount is " + validationCount + "; use 0 or more");
        }
        crop = crop == null ? List.of() : List.copyOf(crop);
        if (!crop.isEmpty() && (crop.size() != 2 || crop.get(0) < 1 || crop.get(1) < 1)) {
            throw new IllegalArgumentException("data.crop is " + crop + "; give [height, width], e.g. [256, 256],"
                    + " or leave it out");
        }
        if (!(minScale > 0) || !(maxScale >= minScale)) {
            throw new IllegalArgumentException("data.minScale/maxScale " + minScale + "/" + maxScale
                    + " are invalid; use 0 < minScale <= maxScale, e.g. 0.5 and 2.0");
        }
        if ((minScale != 1 || maxScale != 1) && crop.isEmpty()) {
            throw new IllegalArgumentException("random scaling (data.minScale/maxScale) needs data.crop, the size"
                    + " every scaled image is cropped or padded to");
        }
        if (!(rotation >= 0) || !(colorJitter >= 0)) {
            throw new IllegalArgumentException("data.rotation and data.colorJitter must be >= 0, got " + rotation
                    + " and " + colorJitter);
        }
        classNames = classNames == null ? null : List.copyOf(classNames);
        mean = mean == null ? List.of() : List.copyOf(mean);
        std = std == null ? List.of() : List.copyOf(std);
        new Preprocessing(mean, std);
    }

    /** Generated M2NIST, 4000 training and 1000 validation images, seed 42, normalised with mean 0.04, std 0.18. */
    public static DataSpec m2nist() {
        return new DataSpec("m2nist", 4000, 1000, 42, null, null, null, null, null, 0, 0, 0, null, "index", null, 255,
                0, "", List.of(), 1, 1, false, false, 0, 0, List.of(M2nistQuickstart.MEAN),
                List.of(M2nistQuickstart.STD), true);
    }

    /** The resolved data: sources and what a model needs to know about them. */
    public record Sources(SampleSource train, SampleSource validation, List<String> classNames, int channels,
                          int height, int width) {
    }

    /**
     * Opens the data: generates, lists or loads the images (decoding them all when {@code cache}).
     *
     * @throws io.segnet.data.DataException naming the file for unusable data
     */
    public Sources open(int threads) {
        SampleSource tr;
        SampleSource va;
        switch (type) {
            case "m2nist" -> {
                Split<M2nistGenerator> s = M2nistGenerator.split(seed, train, Math.max(validation, 1));
                tr = s.train();
                va = validation > 0 ? s.validation() : null;
            }
            case "membrane" -> {
                SegmentationDataset all = root == null ? MembraneDataset.load() : MembraneDataset.load(Path.of(root));
                int count = validationCount > 0 ? validationCount : 3;
                Split<SegmentationDataset> s = all.split(count, seed);
                tr = s.train();
                va = s.validation();
            }
            default -> {
                DatasetConfig config = datasetConfig();
                SegmentationDataset all = SegmentationDataset.fromFolders(Path.of(images), Path.of(masks), config);
                if (validationImages != null) {
                    tr = all;
                    va = SegmentationDataset.fromFolders(Path.of(validationImages), Path.of(validationMasks), config);
                } else if (validationFraction > 0) {
                    Split<SegmentationDataset> s = all.split(validationFraction, seed);
                    tr = s.train();
                    va = s.validation();
                } else if (validationCount > 0) {
                    Split<SegmentationDataset> s = all.split(validationCount, seed);
                    tr = s.train();
                    va = s.validation();
                } else {
                    tr = all;
                    va = null;
                }
            }
        }
        if (cache) {
            tr = InMemorySource.load(tr, threads);
            va = va == null ? null : InMemorySource.load(va, threads);
        }
        var first = tr.get(0);
        int h = crop.isEmpty() ? first.height() : crop.get(0);
        int w = crop.isEmpty() ? first.width() : crop.get(1);
        return new Sources(tr, va, tr.classNames(), first.channels(), h, w);
    }

    /** The dataset config of a folder data set. */
    public DatasetConfig datasetConfig() {
        if (maskFormat.equalsIgnoreCase("rgb")) {
            DatasetConfig c = DatasetConfig.rgb(ColorTable.read(Path.of(colorTable)));
            return c.withIgnoreValue(ignoreValue).withImageChannels(imageChannels).withMaskSuffix(maskSuffix);
        }
        if (numClasses < 1) {
            throw new IllegalArgumentException("a folder data set needs data.numClasses (the number of classes in"
                    + " the masks), e.g. 2 for binary masks");
        }
        MaskFormat format = switch (maskFormat.toLowerCase(Locale.ROOT)) {
            case "binary255" -> MaskFormat.binary255();
            case "reducezerolabel" -> MaskFormat.reducedZeroLabel();
            default -> MaskFormat.index();
        };
        return new DatasetConfig(numClasses, classNames, format, ignoreValue, imageChannels, maskSuffix);
    }

    /** The normalisation of every image. */
    public Preprocessing preprocessing() {
        return new Preprocessing(mean, std);
    }

    /**
     * The random training transforms, then padding to a multiple of {@code sizeMultiple} (the model's input-size
     * rule), or null if there is nothing to do.
     */
    public Transform augmentation(int sizeMultiple) {
        List<Transform> t = new ArrayList<>();
        if (flip) {
            t.add(RandomFlip.horizontal(0.5));
        }
        if (verticalFlip) {
            t.add(RandomFlip.vertical(0.5));
        }
        if (rotation > 0) {
            t.add(RandomRotation.degrees(rotation));
        }
        if (!crop.isEmpty()) {
            t.add(new RandomScaleCrop(minScale, maxScale, crop.get(0), crop.get(1)));
        }
        if (colorJitter > 0) {
            t.add(new ColorJitter(colorJitter, colorJitter, colorJitter));
        }
        if (sizeMultiple > 1) {
            t.add(PadToMultiple.of(sizeMultiple));
        }
        return t.isEmpty() ? null : new Compose(t);
    }

    /** The training data of {@code sources} for a model whose inputs must be multiples of {@code sizeMultiple}. */
    public TrainingData trainingData(Sources sources, int sizeMultiple) {
        return new TrainingData(sources.train(), augmentation(sizeMultiple), sources.validation(), preprocessing(),
                fingerprint(), this);
    }

    /** A short description of the data for model cards. */
    public String fingerprint() {
        return switch (type) {
            case "m2nist" -> "m2nist seed=" + seed + " train=" + train + " validation=" + validation;
            case "membrane" -> "membrane " + (root == null ? MembraneDataset.DEFAULT_ROOT : root) + " held out "
                    + (validationCount > 0 ? validationCount : 3) + " seed=" + seed;
            default -> "folder images=" + images + " masks=" + masks;
        };
    }
}
