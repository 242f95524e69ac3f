package io.segnet.inference;

import io.segnet.data.io.ImageFiles;
import io.segnet.data.io.ImagePixels;
import io.segnet.inference.render.MaskImages;
import io.segnet.inference.render.Overlay;
import io.segnet.inference.render.Palette;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Predicts one image file or every image of a folder (not recursive; PNG, JPEG, BMP, TIFF) and writes, per image
 * {@code <stem>}, any of: {@code masks/<stem>.png} (class ids, {@link MaskImages#writeIndexPng}),
 * {@code color/<stem>.png} (palette PNG) and {@code overlay/<stem>.png} (image blended with the mask, with a legend),
 * under the output folder.
 *
 * <p>Safety: the output folder may not be the input folder, no output file may be an input file, and existing output
 * files are only replaced with {@code overwrite} (checked for every image before anything is written). Images are
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
     * @param overwrite  whether existing output files may be replaced
     * @param threads    worker threads, {@code >= 1}
     */
    public record Options(Set<Output> outputs, Palette palette, List<String> classNames, Overlay.Style style,
                          boolean overwrite, int threads) {

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

        /** All three outputs, VOC colours, default overlay style, no overwriting, 2 threads. */
        public static Options all(List<String> classNames) {
            return new Options(EnumSet.allOf(Output.class), Palette.voc(Math.max(1, classNames.size())), classNames,
                    Overlay.Style.defaults(), false, 2);
        }
    }

    /**
     * What a run did.
     *
     * @param images  images predicted
     * @param files   files written
     * @param seconds wall time
     */
    public record Summary(int images, int files, double seconds) {
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
     * Predicts {@code input} (a file or a folder) and writes the outputs under {@code outputDir}.
     *
     * @throws IllegalArgumentException if the output would touch an input or replace a file without
     *                                  {@code overwrite} (nothing is written then)
     */
    public static Summary run(Predictor predictor, Path input, Path outputDir, Options options) throws IOException {
        long start = System.nanoTime();
        List<Path> images = inputs(input);
        Path out = outputDir.toAbsolutePath().normalize();
        Path inDir = (Files.isDirectory(input) ? input : input.toAbsolutePath().getParent()).toAbsolutePath()
                .normalize();
        if (Files.isDirectory(input) && out.equals(inDir)) {
            throw new IllegalArgumentException("the output folder " + outputDir + " is the input folder; write the"
                    + " predictions somewhere else (they go to masks/, color/ and overlay/ below the output folder)");
        }
        for (Output o : options.outputs()) {
            if (out.resolve(o.folder()).equals(inDir)) {
                throw new IllegalArgumentException("the " + o.folder() + "/ output folder " + out.resolve(o.folder())
                        + " is the input folder; choose another output folder");
            }
        }
        if (!options.overwrite()) {
            List<Path> existing = new ArrayList<>();
            for (Path img : images) {
                for (Output o : options.outputs()) {
                    Path target = target(out, o, img);
                    if (Files.exists(target)) {
                        existing.add(target);
                    }
                }
            }
            if (!existing.isEmpty()) {
                throw new IllegalArgumentException(existing.size() + " output files exist already (e.g. "
                        + existing.get(0) + "); choose another output folder or allow overwriting (--overwrite)");
            }
        }
        int workers = Math.min(options.threads(), images.size());
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "segnet-predict");
            t.setDaemon(true);
            return t;
        });
        int files = 0;
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (Path img : images) {
                futures.add(pool.submit(() -> predictOne(predictor, img, out, options)));
            }
            for (Future<Integer> f : futures) {
                files += f.get();
            }
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
        } finally {
            pool.shutdownNow();
        }
        return new Summary(images.size(), files, (System.nanoTime() - start) / 1e9);
    }

    private static int predictOne(Predictor predictor, Path img, Path out, Options options) {
        ImagePixels pixels = ImageFiles.readImage(img, predictor.network().inChannels());
        Prediction p = predictor.predict(pixels);
        int written = 0;
        try {
            for (Output o : options.outputs()) {
                Path target = target(out, o, img);
                switch (o) {
                    case INDEX -> MaskImages.writeIndexPng(target, p.classMap(), p.height(), p.width(),
                            options.overwrite());
                    case COLOR -> MaskImages.writeColorPng(target, p.classMap(), p.height(), p.width(),
                            options.palette(), options.overwrite());
                    case OVERLAY -> Overlay.write(target, pixels, p.classMap(), options.palette(),
                            options.classNames(), options.style(), options.overwrite());
                }
                written++;
            }
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException(e.getFile() + " appeared while predicting and was left as it is;"
                    + " rerun with overwriting allowed or another output folder", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return written;
    }

    /** Where output {@code o} of image {@code img} goes. */
    public static Path target(Path outputDir, Output o, Path img) {
        return outputDir.resolve(o.folder()).resolve(ImageFiles.stem(img) + ".png");
    }
}
