package io.segnet.data.dataset;

import io.segnet.data.DataException;
import io.segnet.data.DataProblem;
import io.segnet.data.DataProblem.Kind;
import io.segnet.data.Rng;
import io.segnet.data.Sample;
import io.segnet.data.SampleSource;
import io.segnet.data.io.ClassMap;
import io.segnet.data.io.ImageFiles;
import io.segnet.data.io.ImagePixels;
import io.segnet.data.io.MaskFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A segmentation data set on disk: an image folder and a mask folder whose files pair up by name stem
 * ({@code image/17.jpg} with {@code mask/17.png}; with a {@link DatasetConfig#maskSuffix() mask suffix}
 * {@code "_mask"}, with {@code mask/17_mask.png}).
 *
 * <p>{@link #fromFolders} lists the folders and checks the pairing (empty or missing folders, images
 * without masks, two files with one stem), failing with every such problem in one message. Files are
 * decoded only by {@link #get(int)}, which fails with a message naming the file for corrupt files,
 * image/mask size mismatches and mask values that are neither a class nor the ignore value.
 * {@link #validate()} reads everything and reports every problem at once. Reading never writes or
 * changes anything on disk.
 *
 * <p>Samples are ordered by natural order of their stems ({@code 2} before {@code 10}). Images become
 * floats in {@code [0,1]}, {@code [C,H,W]}; masks become class ids through the configured
 * {@link io.segnet.data.io.MaskFormat}.
 */
public final class SegmentationDataset implements SampleSource {

    /**
     * One image and its mask.
     *
     * @param stem  the shared name stem, also the sample id
     * @param image the image file
     * @param mask  the mask file
     */
    public record Pair(String stem, Path image, Path mask) {
    }

    private static final long SPLIT_STREAM = 0x5EED5EEDL;

    private final Path imageDir;
    private final Path maskDir;
    private final DatasetConfig config;
    private final List<Pair> pairs;
    private final boolean wholeFolder;

    private SegmentationDataset(Path imageDir, Path maskDir, DatasetConfig config, List<Pair> pairs,
                                boolean wholeFolder) {
        this.imageDir = imageDir;
        this.maskDir = maskDir;
        this.config = config;
        this.pairs = List.copyOf(pairs);
        this.wholeFolder = wholeFolder;
    }

    /**
     * The data set of all images in {@code imageDir} with their masks in {@code maskDir}.
     *
     * @throws DataException listing every pairing problem: a missing or empty folder, an image without a
     *                       mask, two files with the same stem (masks without images are only reported by
     *                       {@link #validate()})
     */
    public static SegmentationDataset fromFolders(Path imageDir, Path maskDir, DatasetConfig config) {
        Objects.requireNonNull(config, "config");
        Scan scan = scan(imageDir, maskDir, config);
        List<DataProblem> fatal = scan.problems().stream().filter(p -> p.kind() != Kind.ORPHAN_MASK).toList();
        if (!fatal.isEmpty()) {
            throw new DataException(fatal);
        }
        return new SegmentationDataset(imageDir, maskDir, config, scan.pairs(), true);
    }

    /**
     * The data set of the given image/mask pairs, in the given order (e.g. one machine's share of a data set listed
     * elsewhere). Nothing is read until {@link #get}; {@link #imageDir()} and {@link #maskDir()} are the folders of
     * the first pair.
     *
     * @throws IllegalArgumentException if {@code pairs} is empty or two pairs share a stem
     */
    public static SegmentationDataset ofPairs(List<Pair> pairs, DatasetConfig config) {
        Objects.requireNonNull(config, "config");
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("no image/mask pairs given");
        }
        java.util.Set<String> stems = new java.util.HashSet<>();
        for (Pair p : pairs) {
            if (!stems.add(p.stem())) {
                throw new IllegalArgumentException("two pairs have the stem '" + p.stem() + "' (" + p.image()
                        + "); give every image a distinct name");
            }
        }
        Pair first = pairs.get(0);
        return new SegmentationDataset(first.image().toAbsolutePath().getParent(),
                first.mask().toAbsolutePath().getParent(), config, pairs, false);
    }

    /**
     * Every problem of the data set in two folders, without stopping at the first: the pairing problems of
     * {@link #fromFolders} plus masks without images, then every file decoded and checked. Use it on a
     * data set that {@link #fromFolders} refuses, to see all that is wrong.
     */
    public static ValidationReport validate(Path imageDir, Path maskDir, DatasetConfig config) {
        Scan scan = scan(imageDir, maskDir, config);
        return checkContents(describe(imageDir, maskDir), scan.pairs(), scan.problems(), config);
    }

    /**
     * Reads every file of this data set and reports every problem at once: unreadable files, size
     * mismatches, bad mask values, images with a different channel count from the rest, plus (for a
     * whole folder) masks that have no image. Warns about classes that no mask contains.
     */
    public ValidationReport validate() {
        List<DataProblem> structural = wholeFolder
                ? scan(imageDir, maskDir, config).problems().stream().filter(p -> p.kind() == Kind.ORPHAN_MASK).toList()
                : List.of();
        return checkContents(describe(imageDir, maskDir), pairs, structural, config);
    }

    @Override
    public int size() {
        return pairs.size();
    }

    /**
     * Decodes sample {@code index}.
     *
     * @throws DataException naming the file for an unreadable file, an image/mask size mismatch or a mask
     *                       value that is neither a class nor the ignore value
     */
    @Override
    public Sample get(int index) {
        Pair p = pairs.get(Objects.checkIndex(index, pairs.size()));
        ImagePixels image = ImageFiles.readImage(p.image(), config.imageChannels());
        ClassMap mask = MaskFiles.read(p.mask(), config.maskFormat(), config.numClasses(), config.ignoreValue());
        if (image.height() != mask.height() || image.width() != mask.width()) {
            throw new DataException(sizeMismatch(p, image, mask));
        }
        int[] classes = mask.classes();
        int ignore = config.ignoreValue();
        if (ignore != Sample.DEFAULT_IGNORE && config.numClasses() <= Sample.DEFAULT_IGNORE) {
            // the file's ignore value (e.g. CamVid's 11) becomes the one the losses and metrics ignore by default
            for (int i = 0; i < classes.length; i++) {
                if (classes[i] == ignore) {
                    classes[i] = Sample.DEFAULT_IGNORE;
                }
            }
            ignore = Sample.DEFAULT_IGNORE;
        }
        return new Sample(p.stem(), image.channels(), image.height(), image.width(), image.data(), classes, ignore);
    }

    @Override
    public String id(int index) {
        return pairs.get(Objects.checkIndex(index, pairs.size())).stem();
    }

    @Override
    public int numClasses() {
        return config.numClasses();
    }

    @Override
    public List<String> classNames() {
        return config.classNames();
    }

    /** The configuration. */
    public DatasetConfig config() {
        return config;
    }

    /** The image folder. */
    public Path imageDir() {
        return imageDir;
    }

    /** The mask folder. */
    public Path maskDir() {
        return maskDir;
    }

    /** The image/mask pairs, in sample order. */
    public List<Pair> pairs() {
        return pairs;
    }

    /** The sample ids (stems), in sample order. */
    public List<String> stems() {
        return pairs.stream().map(Pair::stem).toList();
    }

    /**
     * The samples with the given stems, in the given order.
     *
     * @throws DataException listing every stem this data set does not have, or stems given twice
     */
    public SegmentationDataset subset(Collection<String> stems) {
        return subset(List.copyOf(stems), imageDir);
    }

    /**
     * The samples listed in a split file: one stem per line (an extension such as {@code .png} is
     * tolerated), blank lines and lines starting with {@code #} skipped; mmsegmentation's
     * {@code ann_file} / {@code split} format.
     *
     * @throws DataException naming the split file if it cannot be read or lists unknown stems
     */
    public SegmentationDataset subset(Path splitFile) {
        List<String> lines;
        try {
            lines = Files.readAllLines(splitFile);
        } catch (IOException e) {
            throw new DataException(new DataProblem(splitFile, Kind.UNREADABLE, "cannot read the split file: " + e,
                    "check the path (relative paths resolve against " + Path.of("").toAbsolutePath() + ")"), e);
        }
        Set<String> known = new HashSet<>(stems());
        List<String> stems = new ArrayList<>();
        for (String line : lines) {
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("#")) {
                continue;
            }
            if (!known.contains(s) && ImageFiles.isImageFile(Path.of(s))) {
                s = ImageFiles.stem(Path.of(s));
            }
            stems.add(s);
        }
        if (stems.isEmpty()) {
            throw DataException.of(splitFile, Kind.EMPTY_FOLDER, "split file lists no samples",
                    "write one file stem per line, e.g. '17' for image 17.png");
        }
        return subset(stems, splitFile);
    }

    /**
     * A seeded random split: {@code round(size * validationFraction)} samples (at least 1) for validation,
     * the rest for training, each part in this data set's order. The same seed always gives the same split.
     */
    public Split<SegmentationDataset> split(double validationFraction, long seed) {
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validationFraction is " + validationFraction
                    + "; it must be strictly between 0 and 1, e.g. 0.2");
        }
        return split((int) Math.max(1, Math.round(size() * validationFraction)), seed);
    }

    /** A seeded random split with exactly {@code validationCount} validation samples. */
    public Split<SegmentationDataset> split(int validationCount, long seed) {
        if (validationCount < 1 || validationCount >= size()) {
            throw new IllegalArgumentException("validationCount is " + validationCount + " but the data set has "
                    + size() + " samples; both parts need at least one, so use 1.." + (size() - 1));
        }
        int[] perm = Rng.of(seed, SPLIT_STREAM).permutation(size());
        boolean[] inValidation = new boolean[size()];
        for (int i = 0; i < validationCount; i++) {
            inValidation[perm[i]] = true;
        }
        List<Pair> train = new ArrayList<>();
        List<Pair> validation = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            (inValidation[i] ? validation : train).add(pairs.get(i));
        }
        return new Split<>(new SegmentationDataset(imageDir, maskDir, config, train, false),
                new SegmentationDataset(imageDir, maskDir, config, validation, false));
    }

    @Override
    public String toString() {
        return "SegmentationDataset[" + size() + " samples, " + describe(imageDir, maskDir) + ", "
                + config.numClasses() + " classes, masks " + config.maskFormat().describe() + "]";
    }

    private SegmentationDataset subset(List<String> stems, Path source) {
        Map<String, Pair> byStem = new HashMap<>();
        for (Pair p : pairs) {
            byStem.put(p.stem(), p);
        }
        List<Pair> chosen = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<String> twice = new ArrayList<>();
        for (String s : stems) {
            Pair p = byStem.get(s);
            if (p == null) {
                unknown.add(s);
            } else if (!seen.add(s)) {
                twice.add(s);
            } else {
                chosen.add(p);
            }
        }
        List<DataProblem> problems = new ArrayList<>();
        if (!unknown.isEmpty()) {
            problems.add(new DataProblem(source, Kind.UNKNOWN_SAMPLE, unknown.size() + " of " + stems.size()
                    + " stems are not in the data set: " + listed(unknown),
                    "list file stems without extension that have both an image in " + imageDir + " and a mask in "
                            + maskDir + " (e.g. " + listed(stems().subList(0, Math.min(3, size()))) + ")"));
        }
        if (!twice.isEmpty()) {
            problems.add(new DataProblem(source, Kind.UNKNOWN_SAMPLE, "stems listed more than once: " + listed(twice),
                    "list each sample once"));
        }
        if (!problems.isEmpty()) {
            throw new DataException(problems);
        }
        return new SegmentationDataset(imageDir, maskDir, config, chosen, false);
    }

    // ---- scanning the folders -------------------------------------------------------------------------

    private record Scan(List<Pair> pairs, List<DataProblem> problems) {
    }

    private record Listing(Map<String, Path> byStem, List<DataProblem> duplicates, List<String> others,
                           Set<String> duplicateStems) {
    }

    private static Scan scan(Path imageDir, Path maskDir, DatasetConfig config) {
        List<DataProblem> problems = new ArrayList<>();
        boolean imagesOk = checkFolder(imageDir, "image", problems);
        boolean masksOk = checkFolder(maskDir, "mask", problems);
        if (!imagesOk || !masksOk) {
            return new Scan(List.of(), problems);
        }
        String suffix = config.maskSuffix();
        boolean sameFolder = imageDir.toAbsolutePath().normalize().equals(maskDir.toAbsolutePath().normalize());
        if (sameFolder && suffix.isEmpty()) {
            problems.add(new DataProblem(imageDir, Kind.DUPLICATE_STEM, "images and masks are in the same folder but"
                    + " the mask suffix is empty, so an image and its mask cannot be told apart",
                    "set --mask-suffix _mask (YAML data.maskSuffix; or whatever ends the mask names), or move the masks"
                            + " into their own folder"));
            return new Scan(List.of(), problems);
        }
        Listing masks = list(maskDir, p -> !sameFolder || ImageFiles.stem(p).endsWith(suffix));
        Listing images = list(imageDir, p -> !sameFolder || !ImageFiles.stem(p).endsWith(suffix));
        problems.addAll(images.duplicates());
        problems.addAll(masks.duplicates());
        if (images.byStem().isEmpty()) {
            problems.add(emptyFolder(imageDir, "images", images.others()));
        }
        if (masks.byStem().isEmpty()) {
            problems.add(emptyFolder(maskDir, "masks", masks.others()));
        }
        if (images.byStem().isEmpty() || masks.byStem().isEmpty()) {
            return new Scan(List.of(), problems);
        }
        Map<String, Path> maskByImageStem = new HashMap<>();
        List<Path> orphans = new ArrayList<>();
        for (Map.Entry<String, Path> e : masks.byStem().entrySet()) {
            String stem = e.getKey();
            if (stem.endsWith(suffix)) {
                maskByImageStem.put(stem.substring(0, stem.length() - suffix.length()), e.getValue());
            } else {
                orphans.add(e.getValue());
            }
        }
        TreeSet<String> maskStems = new TreeSet<>(masks.byStem().keySet());
        List<Pair> pairs = new ArrayList<>();
        for (Map.Entry<String, Path> e : images.byStem().entrySet()) {
            Path mask = maskByImageStem.remove(e.getKey());
            if (mask == null && masks.duplicateStems().contains(e.getKey() + suffix)) {
                continue; // reported once, as a duplicate stem in the mask folder
            }
            if (mask == null) {
                problems.add(missingMask(e.getKey(), e.getValue(), maskDir, suffix, maskStems));
            } else {
                pairs.add(new Pair(e.getKey(), e.getValue(), mask));
            }
        }
        maskByImageStem.keySet().removeAll(images.duplicateStems()); // reported once, as a duplicate image stem
        orphans.addAll(maskByImageStem.values());
        orphans.sort((a, b) -> NaturalOrder.INSTANCE.compare(a.getFileName().toString(), b.getFileName().toString()));
        for (Path mask : orphans) {
            String stem = ImageFiles.stem(mask);
            boolean suffixMissing = !stem.endsWith(suffix);
            problems.add(new DataProblem(mask, Kind.ORPHAN_MASK, suffixMissing
                    ? "mask name does not end with the mask suffix '" + suffix + "', so it pairs with no image"
                    : "mask has no image: no file named " + stem.substring(0, stem.length() - suffix.length())
                    + ".<png|jpg|bmp|gif|tif> in " + imageDir,
                    suffixMissing ? "rename it or check --mask-suffix (YAML data.maskSuffix)"
                            : "add the image or remove the mask (a typo in one of the two names?)"));
        }
        return new Scan(pairs, problems);
    }

    private static boolean checkFolder(Path dir, String what, List<DataProblem> problems) {
        if (dir == null) {
            throw new IllegalArgumentException("the " + what + " folder is null");
        }
        if (!Files.exists(dir)) {
            problems.add(new DataProblem(dir, Kind.MISSING_FOLDER, what + " folder does not exist",
                    "check the path (relative paths resolve against " + Path.of("").toAbsolutePath() + ")"));
            return false;
        }
        if (!Files.isDirectory(dir)) {
            problems.add(new DataProblem(dir, Kind.MISSING_FOLDER, what + " folder is a file, not a folder",
                    "give the folder that holds the " + what + " files"));
            return false;
        }
        return true;
    }

    private static Listing list(Path dir, Predicate<Path> accept) {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        TreeMap<String, Path> byStem = new TreeMap<>(NaturalOrder.INSTANCE);
        Map<String, List<Path>> clashes = new LinkedHashMap<>();
        List<String> others = new ArrayList<>();
        for (Path f : files) {
            String name = f.getFileName().toString();
            if (!ImageFiles.isImageFile(f)) {
                if (!name.startsWith(".")) {
                    others.add(name);
                }
                continue;
            }
            if (!accept.test(f)) {
                continue;
            }
            Path before = byStem.putIfAbsent(ImageFiles.stem(f), f);
            if (before != null) {
                clashes.computeIfAbsent(ImageFiles.stem(f), k -> new ArrayList<>(List.of(before))).add(f);
            }
        }
        List<DataProblem> duplicates = new ArrayList<>();
        for (Map.Entry<String, List<Path>> e : clashes.entrySet()) {
            byStem.remove(e.getKey());
            List<String> names = e.getValue().stream().map(p -> p.getFileName().toString()).sorted().toList();
            duplicates.add(new DataProblem(e.getValue().get(0), Kind.DUPLICATE_STEM, "files " + String.join(", ", names)
                    + " share the stem '" + e.getKey() + "', so which one to use is ambiguous",
                    "keep one of them and delete or rename the others"));
        }
        others.sort(NaturalOrder.INSTANCE);
        return new Listing(byStem, duplicates, others, Set.copyOf(clashes.keySet()));
    }

    private static DataProblem emptyFolder(Path dir, String what, List<String> others) {
        String found = others.isEmpty() ? "the folder is empty"
                : "it holds " + others.size() + " other file" + (others.size() == 1 ? "" : "s") + ": " + listed(others);
        return new DataProblem(dir, Kind.EMPTY_FOLDER, "folder contains no " + what + " (PNG, JPEG, BMP or TIFF); "
                + found, "point the data set at the folder that holds the " + what
                + (others.isEmpty() ? "" : ", or convert the files to PNG"));
    }

    private static DataProblem missingMask(String stem, Path image, Path maskDir, String suffix,
                                           TreeSet<String> maskStems) {
        String guess = null;
        for (String m : maskStems.tailSet(stem, false)) {
            if (!m.startsWith(stem)) {
                break;
            }
            String rest = m.substring(stem.length());
            if (!Character.isDigit(rest.charAt(0))) {
                guess = m;
                break;
            }
        }
        String fix = "add the mask, or remove the image";
        if (guess != null) {
            String guessedSuffix = suffix.isEmpty() ? guess.substring(stem.length()) : null;
            fix += "; the mask folder has '" + guess + "'" + (guessedSuffix == null ? ""
                    : ": if masks are named <stem>" + guessedSuffix + ", set --mask-suffix "
                    + guessedSuffix + " (YAML data.maskSuffix: " + guessedSuffix + ")");
        }
        return new DataProblem(image, Kind.MISSING_MASK, "image has no mask: expected "
                + maskDir.resolve(stem + suffix + ".png") + " (or .bmp, .gif, .tif)", fix);
    }

    private static DataProblem sizeMismatch(Pair p, ImagePixels image, ClassMap mask) {
        return new DataProblem(p.mask(), Kind.SIZE_MISMATCH, "mask is " + mask.size() + " (HxW) but its image "
                + p.image() + " is " + image.size(), "masks must match their image pixel for pixel: re-export the"
                + " mask at the image's size (resizing masks with nearest-neighbour, never bilinear), or check that"
                + " the two files belong together");
    }

    // ---- reading every file ---------------------------------------------------------------------------

    private record PairCheck(List<DataProblem> problems, int channels, long[] classPixels, long ignored) {
    }

    private static ValidationReport checkContents(String name, List<Pair> pairs, List<DataProblem> structural,
                                                  DatasetConfig config) {
        List<PairCheck> checks = IntStream.range(0, pairs.size()).parallel()
                .mapToObj(i -> check(pairs.get(i), config)).toList();
        List<DataProblem> problems = new ArrayList<>(structural);
        long[] classPixels = new long[config.numClasses()];
        long ignored = 0;
        Map<Integer, Integer> channelCounts = new TreeMap<>();
        for (PairCheck c : checks) {
            problems.addAll(c.problems());
            if (c.classPixels() != null) {
                for (int k = 0; k < classPixels.length; k++) {
                    classPixels[k] += c.classPixels()[k];
                }
                ignored += c.ignored();
            }
            if (c.channels() > 0) {
                channelCounts.merge(c.channels(), 1, Integer::sum);
            }
        }
        if (channelCounts.size() > 1) {
            int majority = channelCounts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            for (int i = 0; i < pairs.size(); i++) {
                int ch = checks.get(i).channels();
                if (ch > 0 && ch != majority) {
                    problems.add(new DataProblem(pairs.get(i).image(), Kind.CHANNEL_MISMATCH, "image has " + ch
                            + (ch == 1 ? " channel" : " channels") + " but " + channelCounts.get(majority)
                            + " images have " + majority + ", and a batch needs one channel count",
                            "give --image-channels " + majority + " (YAML data.imageChannels: " + majority
                                    + ") to convert every image when read"));
                }
            }
        }
        List<String> warnings = new ArrayList<>();
        long total = ignored;
        for (long c : classPixels) {
            total += c;
        }
        if (total > 0) {
            List<String> absent = new ArrayList<>();
            for (int k = 0; k < classPixels.length; k++) {
                if (classPixels[k] == 0) {
                    absent.add(k + " '" + config.classNames().get(k) + "'");
                }
            }
            if (!absent.isEmpty()) {
                String share = String.format(Locale.ROOT, "%.0f%%", 100.0 * ignored / total);
                warnings.add("class" + (absent.size() == 1 ? " " : "es ") + String.join(", ", absent)
                        + " occur" + (absent.size() == 1 ? "s" : "") + " in no mask" + (ignored > 0 ? " and " + share
                        + " of all pixels have the ignore value " + config.ignoreValue() : "")
                        + (ignored > 0 && config.ignoreValue() == 255 && config.maskFormat().valueMap().isEmpty()
                        ? ": binary masks stored as 0/255? then use --mask-format binary255 (YAML data.maskFormat: binary255)"
                        : ": check --num-classes and --mask-format (YAML data.numClasses, data.maskFormat)"));
            }
        }
        long labelled = total - ignored;
        List<String> rare = new ArrayList<>();
        for (int k = 0; k < classPixels.length && labelled > 0; k++) {
            double share = (double) classPixels[k] / labelled;
            if (classPixels[k] > 0 && share < RARE_CLASS_SHARE) {
                rare.add(String.format(Locale.ROOT, "%d '%s' covers %.4f%% of the labelled pixels (%d pixels)", k,
                        config.classNames().get(k), 100 * share, classPixels[k]));
            }
        }
        if (!rare.isEmpty()) { // one warning for all of them: real data sets have dozens
            warnings.add((rare.size() == 1 ? "class " + rare.get(0) + ": a model hardly learns it unweighted"
                    : rare.size() + " classes cover under " + 100 * RARE_CLASS_SHARE + "% of the labelled pixels each:"
                    + " class " + String.join(", class ", rare) + ": a model hardly learns them unweighted")
                    + "; weight the classes with --class-weights auto, or add a Dice or Lovasz term with --loss"
                    + " ce+dice");
        }
        return new ValidationReport(name, pairs.size(), problems, warnings, config.classNames(), classPixels, ignored);
    }

    /** Share of the labelled pixels under which a class present in the masks gets a warning (0.01%). */
    public static final double RARE_CLASS_SHARE = 1e-4;

    private static PairCheck check(Pair p, DatasetConfig config) {
        List<DataProblem> problems = new ArrayList<>();
        ImagePixels image = null;
        ClassMap mask = null;
        try {
            image = ImageFiles.readImage(p.image(), config.imageChannels());
        } catch (DataException e) {
            problems.addAll(e.problems());
        }
        try {
            mask = MaskFiles.read(p.mask(), config.maskFormat(), config.numClasses(), config.ignoreValue());
        } catch (DataException e) {
            problems.addAll(e.problems());
        }
        if (image != null && mask != null && (image.height() != mask.height() || image.width() != mask.width())) {
            problems.add(sizeMismatch(p, image, mask));
        }
        long[] counts = null;
        long ignored = 0;
        if (mask != null) {
            counts = new long[config.numClasses()];
            for (int v : mask.classes()) {
                if (v == config.ignoreValue()) {
                    ignored++;
                } else {
                    counts[v]++;
                }
            }
        }
        return new PairCheck(problems, image == null ? 0 : image.channels(), counts, ignored);
    }

    private static String describe(Path imageDir, Path maskDir) {
        return "image=" + imageDir + " mask=" + maskDir;
    }

    private static String listed(List<String> names) {
        int shown = 10;
        String s = names.stream().limit(shown).map(n -> "'" + n + "'").collect(Collectors.joining(", "));
        return names.size() > shown ? s + ", ... (" + names.size() + " in all)" : s;
    }
}
