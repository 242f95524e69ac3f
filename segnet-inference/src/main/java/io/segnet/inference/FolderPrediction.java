package io.segnet.inference;

import io.segnet.data.DataException;
import io.segnet.data.DataProblem;
import io.segnet.data.io.ImageFiles;
import io.segnet.data.io.ImagePixels;
import io.segnet.inference.render.MaskImages;
import io.segnet.inference.render.Overlay;
import io.segnet.inference.render.Palette;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Predicts one image file or every image of a folder (not recursive; PNG, JPEG, BMP, TIFF) and writes, per image
 * {@code <stem>}, any of: {@code masks/<stem>.png} (class ids, {@link MaskImages#writeIndexPng}),
 * {@code color/<stem>.png} (palette PNG) and {@code overlay/<stem>.png} (image blended with the mask, with a legend),
 * under the output folder.
 *
 * <p>Safety, all checked before anything is written: the output folder and its sub-folders must not be, contain or lie
 * inside the input folder, compared as real paths; prediction writes only into sub-folders it marked
 * ({@link OutputFolder#MARKER}) or found empty, and replaces only files it wrote before, with {@code overwrite}; every
 * input image is decoded first, and one that cannot be read stops the run unless {@code skipBad}. Images are
 * predicted on {@code threads} threads sharing one thread-safe {@link Predictor}.
 */
public final class FolderPrediction {

    /** The kinds of output file. */
    public enum Output {
        /** {@code masks/<stem>.png}: grayscale, pixel value = class id. */
        INDEX("masks"),
        /** {@code color/<stem>.png}: the class map in the palette's colours. */
        COLOR("color"),
        /** {@code overlay/<stem>.png}: image and mask blended, with a legend. */
        OVERLAY("overlay");

        private final String folder;

        Output(String folder) {
            this.folder = folder;
        }

        /** The sub-folder this output goes to. */
        public String folder() {
            return folder;
        }

        /** The output named {@code name}: {@code index}, {@code color} or {@code overlay} (any case). */
        public static Output parse(String name) {
            String n = name.strip().toLowerCase(Locale.ROOT);
            return switch (n) {
                case "index", "mask", "masks" -> INDEX;
                case "color", "colour" -> COLOR;
                case "overlay" -> OVERLAY;
                default -> throw new IllegalArgumentException("unknown output '" + name
                        + "'; use index, color or overlay");
            };
        }
    }

    /**
     * What to write and how.
     *
     * @param outputs    the kinds of file to write (at least one)
     * @param palette    class colours for colour and overlay files
     * @param classNames class names for overlay legends
     * @param style      overlay look
     * @param overwrite  whether output files of an earlier prediction may be replaced (never other files)
     * @param skipBad    whether to predict the readable images when some cannot be read (else nothing is written)
     * @param threads    worker threads, {@code >= 1}
     */
    public record Options(Set<Output> outputs, Palette palette, List<String> classNames, Overlay.Style style,
                          boolean overwrite, boolean skipBad, int threads) {

        /** Checks the parts. */
        public Options {
            if (outputs == null || outputs.isEmpty()) {
                throw new IllegalArgumentException("choose at least one output: index, color or overlay");
            }
            outputs = Set.copyOf(outputs);
            Objects.requireNonNull(palette, "palette");
            classNames = List.copyOf(classNames);
            Objects.requireNonNull(style, "style");
            if (threads < 1) {
                throw new IllegalArgumentException("threads is " + threads + "; use at least 1");
            }
        }

        /** All three outputs, readable colours, default overlay style, no overwriting, no skipping, 2 threads. */
        public static Options all(List<String> classNames) {
            return new Options(EnumSet.allOf(Output.class), Palette.readable(Math.max(1, classNames.size())),
                    classNames, Overlay.Style.defaults(), false, false, 2);
        }

        /** These options with {@code overwrite} set. */
        public Options withOverwrite(boolean value) {
            return new Options(outputs, palette, classNames, style, value, skipBad, threads);
        }

        /** These options with {@code skipBad} set. */
        public Options withSkipBad(boolean value) {
            return new Options(outputs, palette, classNames, style, overwrite, value, threads);
        }
    }

    /**
     * What a run did.
     *
     * @param images  images predicted
     * @param files   files written
     * @param seconds wall time
     * @param skipped the unreadable images left out ({@link Options#skipBad()}), with the reasons
     */
    public record Summary(int images, int files, double seconds, List<DataProblem> skipped) {
    }

    private FolderPrediction() {
    }

    /**
     * The image files of {@code input}: the file itself, or the folder's image files in name order.
     *
     * @throws NoSuchFileException      if {@code input} does not exist
     * @throws IllegalArgumentException if it is a file that is not an image, or a folder without images
     */
    public static List<Path> inputs(Path input) throws IOException {
        if (!Files.exists(input)) {
            throw new NoSuchFileException(input.toString(), null, "no such image file or folder");
        }
        if (Files.isRegularFile(input)) {
            if (!ImageFiles.isImageFile(input)) {
                throw new IllegalArgumentException(input + " is not an image file (" + ImageFiles.EXTENSIONS + ")");
            }
            return List.of(input);
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(input)) {
            files = s.filter(Files::isRegularFile).filter(ImageFiles::isImageFile).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException(input + " holds no image files (" + ImageFiles.EXTENSIONS + ")");
        }
        return files;
    }

    /**
     * Predicts {@code input} (a file or a folder) and writes the outputs under {@code outputDir}. Before anything is
     * written, the output folder is checked ({@link OutputFolder#check}) and every input image is decoded once; an
     * unreadable image stops the run unless {@link Options#skipBad()}. Each image's files are rendered first and
     * then written, each atomically.
     *
     * @throws OutputFolderException      if the output folder overlaps the input, holds files prediction did not
     *                                    write, holds earlier predictions without {@code overwrite}, or cannot be
     *                                    created (nothing is written then)
     * @throws UnreadableImagesException if input images cannot be read and {@code skipBad} is off, or none can be
     *                                    read (nothing is written then)
     */
    public static Summary run(Predictor predictor, Path input, Path outputDir, Options options) throws IOException {
        long start = System.nanoTime();
        List<Path> images = inputs(input);
        List<String> subFolders = options.outputs().stream().sorted().map(Output::folder).toList();
        List<String> names = images.stream().map(img -> ImageFiles.stem(img) + ".png").distinct().toList();
        OutputFolder folder = OutputFolder.check(input, images, outputDir, subFolders, names, options.overwrite());
        Path out = folder.path();
        int workers = Math.min(options.threads(), images.size());
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "segnet-predict");
            t.setDaemon(true);
            return t;
        });
        try {
            int channels = predictor.network().inChannels();
            List<DataProblem> unreadable = new ArrayList<>();
            for (Future<DataProblem> f : submitAll(pool, images, img -> readable(img, channels))) {
                DataProblem problem = get(f);
                if (problem != null) {
                    unreadable.add(problem);
                }
            }
            if (!unreadable.isEmpty() && (!options.skipBad() || unreadable.size() == images.size())) {
                throw new UnreadableImagesException(unreadable, images.size());
            }
            Set<Path> bad = unreadable.stream().map(DataProblem::file).collect(Collectors.toSet());
            List<Path> good = images.stream().filter(img -> !bad.contains(img)).toList();
            folder.prepare(good.stream().map(img -> ImageFiles.stem(img) + ".png").toList());
            int files = 0;
            for (Future<Integer> f : submitAll(pool, good, img -> predictOne(predictor, img, out, options))) {
                files += get(f);
            }
            return new Summary(good.size(), files, (System.nanoTime() - start) / 1e9, List.copyOf(unreadable));
        } finally {
            pool.shutdownNow();
        }
    }

    /** Null if {@code img} decodes, else why not. */
    private static DataProblem readable(Path img, int channels) {
        try {
            ImageFiles.readImage(img, channels);
            return null;
        } catch (DataException e) {
            return e.problem();
        } catch (RuntimeException e) {
            return new DataProblem(img, DataProblem.Kind.UNREADABLE, "cannot be read (" + e + ")",
                    "re-export the image");
        }
    }

    private static <T> List<Future<T>> submitAll(ExecutorService pool, List<Path> images, Function<Path, T> task) {
        List<Future<T>> futures = new ArrayList<>();
        for (Path img : images) {
            futures.add(pool.submit(() -> task.apply(img)));
        }
        return futures;
    }

    private static <T> T get(Future<T> f) throws IOException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("prediction failed: " + c, c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while predicting", e);
        }
    }

    /**
     * Predicts one image and renders the chosen outputs, in {@link Output} order (nothing is written).
     *
     * @throws io.segnet.data.DataException naming the file if it cannot be read
     */
    public static Map<Output, BufferedImage> render(Predictor predictor, Path img, Options options) {
        ImagePixels pixels = ImageFiles.readImage(img, predictor.network().inChannels());
        Prediction p = predictor.predict(pixels);
        Map<Output, BufferedImage> rendered = new LinkedHashMap<>();
        for (Output o : options.outputs().stream().sorted().toList()) {
            rendered.put(o, switch (o) {
                case INDEX -> MaskImages.toIndexImage(p.classMap(), p.height(), p.width());
                case COLOR -> MaskImages.toColorImage(p.classMap(), p.height(), p.width(), options.palette());
                case OVERLAY -> Overlay.render(pixels, p.classMap(), options.palette(), options.classNames(),
                        options.style());
            });
        }
        return rendered;
    }

    /** Predicts one image, renders all its files, then writes them (each atomically); returns how many. */
    private static int predictOne(Predictor predictor, Path img, Path out, Options options) {
        Map<Path, BufferedImage> rendered = new LinkedHashMap<>();
        render(predictor, img, options).forEach((o, image) -> rendered.put(target(out, o, img), image));
        List<Path> created = new ArrayList<>();
        try {
            for (Map.Entry<Path, BufferedImage> e : rendered.entrySet()) {
                boolean existed = Files.exists(e.getKey(), LinkOption.NOFOLLOW_LINKS);
                MaskImages.writePng(e.getKey(), e.getValue(), options.overwrite());
                if (!existed) {
                    created.add(e.getKey());
                }
            }
        } catch (FileAlreadyExistsException e) {
            deleteQuietly(created);
            throw new OutputFolderException(e.getFile() + " appeared while predicting and was left as it is; "
                    + "choose an empty or new output folder", e);
        } catch (IOException e) {
            deleteQuietly(created);
            throw new UncheckedIOException(e);
        }
        return rendered.size();
    }

    /** Removes the files one image's failed write created, so that no image is left half-written. */
    private static void deleteQuietly(List<Path> files) {
        for (Path f : files) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException ignored) {
                // The write already failed; that error is the one reported.
            }
        }
    }

    /** Where output {@code o} of image {@code img} goes. */
    public static Path target(Path outputDir, Output o, Path img) {
        return outputDir.resolve(o.folder()).resolve(ImageFiles.stem(img) + ".png");
    }
}
