package io.segnet.spark;

import io.segnet.common.io.PngFiles;
import io.segnet.data.DataException;
import io.segnet.data.io.ImageFiles;
import io.segnet.inference.FolderPrediction;
import io.segnet.inference.FolderPrediction.Output;
import io.segnet.inference.OutputFolder;
import io.segnet.inference.OutputFolderException;
import io.segnet.inference.Predictor;
import io.segnet.inference.PredictorConfig;
import io.segnet.inference.render.Overlay;
import io.segnet.inference.render.Palette;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Batch prediction on Spark: the images of an RDD of file URIs (any Hadoop file system) are predicted on the
 * executors and their class maps written under an output folder, as {@code segnet predict} writes them:
 * {@code masks/<stem>.png}, {@code color/<stem>.png}, {@code overlay/<stem>.png}, byte for byte the same files for
 * the same model, settings and images.
 *
 * <p>The model goes to each executor once, as a broadcast {@link SparkModel}, and is loaded once per executor JVM;
 * tiling and test-time augmentation follow the {@link PredictorConfig}. An image that cannot be read or predicted is
 * reported in the {@link Summary} with the reason; the others are still written.
 *
 * <p>Output safety is {@code segnet predict}'s ({@link OutputFolder}), checked on the driver before any task runs: the
 * output folder must not be, contain or lie inside a folder of the inputs; each sub-folder is new, empty or marked
 * ({@value OutputFolder#MARKER}, listing the files segnet wrote there, in the same format, so either tool can take
 * over the other's folder); files an earlier run wrote are replaced only with {@link Options#overwrite()}; no other
 * file is ever replaced. Every file is written atomically.
 */
public final class SparkPrediction {

    private SparkPrediction() {
    }

    /**
     * What to write.
     *
     * @param predictor       tiling and test-time augmentation
     * @param outputs         the kinds of file (at least one)
     * @param overwrite       whether files an earlier prediction wrote may be replaced
     * @param overlayAlpha    overlay colour weight in [0, 1]
     * @param backgroundClass the class left uncoloured in overlays; null for the class named background, bg, void or
     *                        unlabelled, if the model has one (as {@code segnet predict}); -1 for none
     */
    public record Options(PredictorConfig predictor, Set<Output> outputs, boolean overwrite, double overlayAlpha,
                          Integer backgroundClass) implements Serializable {

        /** Checks the parts. */
        public Options {
            Objects.requireNonNull(predictor, "predictor");
            if (outputs == null || outputs.isEmpty()) {
                throw new IllegalArgumentException("choose at least one output: index, color or overlay");
            }
            outputs = Set.copyOf(outputs);
            new Overlay.Style(overlayAlpha, 256, backgroundClass == null ? -1 : backgroundClass); // checks them
        }

        /** {@code segnet predict}'s defaults: whole images, all three outputs, no overwriting, overlay alpha 0.5. */
        public static Options defaults() {
            return new Options(PredictorConfig.defaults(), EnumSet.allOf(Output.class), false, 0.5, null);
        }

        /** These options with {@code overwrite} set. */
        public Options withOverwrite(boolean value) {
            return new Options(predictor, outputs, value, overlayAlpha, backgroundClass);
        }

        /** These options with these outputs. */
        public Options withOutputs(Set<Output> value) {
            return new Options(predictor, value, overwrite, overlayAlpha, backgroundClass);
        }

        /** These options with this predictor configuration. */
        public Options withPredictor(PredictorConfig value) {
            return new Options(value, outputs, overwrite, overlayAlpha, backgroundClass);
        }
    }

    /**
     * An image that was not predicted.
     *
     * @param image  its URI
     * @param reason what went wrong and what to do
     */
    public record Failure(String image, String reason) implements Serializable {
    }

    /**
     * What a run did.
     *
     * @param images   images predicted and written
     * @param files    files written
     * @param seconds  wall time on the driver, from the first check to the last file
     * @param jobSeconds wall time of the Spark job that predicted and wrote the images (without the checks of the
     *                   output folder and reading the model on the driver)
     * @param failures the images that were not predicted, with the reasons
     */
    public record Summary(long images, long files, double seconds, double jobSeconds, List<Failure> failures) {
    }

    /** What one image's task did (sent back to the driver). */
    record ImageResult(String image, int files, String error) implements Serializable {
    }

    /**
     * Predicts every image of the folder {@code inputDir} (not recursive) into {@code outputDir}, with as many
     * partitions as the context's default parallelism.
     */
    public static Summary run(JavaSparkContext sc, String modelUri, String inputDir, String outputDir,
                              Options options) throws IOException {
        List<String> images = HadoopFiles.images(inputDir, sc.hadoopConfiguration());
        if (images.isEmpty()) {
            throw new IllegalArgumentException(inputDir + " holds no image files (" + ImageFiles.EXTENSIONS + ")");
        }
        return run(sc, modelUri, sc.parallelize(images, Math.min(images.size(), sc.defaultParallelism())),
                outputDir, options);
    }

    /**
     * Predicts the images of {@code images} (file URIs) into {@code outputDir}. The URIs are collected on the driver
     * once, to check the output folder and the names (two images with one stem would write one file).
     *
     * @throws OutputFolderException if the output folder overlaps an input folder, holds files segnet did not write,
     *                               or holds earlier predictions without {@link Options#overwrite()} (nothing is
     *                               written then)
     */
    public static Summary run(JavaSparkContext sc, String modelUri, JavaRDD<String> images, String outputDir,
                              Options options) throws IOException {
        long start = System.nanoTime();
        Configuration conf = sc.hadoopConfiguration();
        SparkModel model = SparkModel.read(modelUri, conf);
        List<String> all = images.collect();
        List<String> names = checkNames(all);
        List<String> subFolders = options.outputs().stream().sorted().map(Output::folder).toList();
        prepareOutput(all, outputDir, subFolders, names, options.overwrite(), conf);
        Broadcast<SparkModel> shared = sc.broadcast(model);
        Broadcast<SerializableConfiguration> hadoop = sc.broadcast(new SerializableConfiguration(conf));
        List<ImageResult> results;
        long job = System.nanoTime();
        try {
            results = images.mapPartitions(part -> predictPartition(part, shared.value(), options,
                    outputDir, hadoop.value().value())).collect();
        } finally {
            shared.destroy();
            hadoop.destroy();
        }
        long done = 0;
        long files = 0;
        List<Failure> failures = new ArrayList<>();
        for (ImageResult r : results) {
            if (r.error() == null) {
                done++;
                files += r.files();
            } else {
                failures.add(new Failure(r.image(), r.error()));
            }
        }
        long end = System.nanoTime();
        return new Summary(done, files, (end - start) / 1e9, (end - job) / 1e9, List.copyOf(failures));
    }

    /** The output file names of the images; refuses two images with the same stem. */
    private static List<String> checkNames(List<String> images) {
        Map<String, String> byName = new HashMap<>();
        List<String> names = new ArrayList<>();
        for (String img : images) {
            String name = ImageFiles.stem(Path.of(HadoopFiles.name(img))) + ".png";
            String other = byName.putIfAbsent(name, img);
            if (other != null) {
                throw new IllegalArgumentException(other + " and " + img + " would both be predicted into " + name
                        + "; give the images distinct names or predict them into separate output folders");
            }
            names.add(name);
        }
        return names;
    }

    /**
     * Checks the output folder and writes the sub-folders' markers: locally through {@link OutputFolder} (as
     * {@code segnet predict}); on other file systems by the same rules, with paths compared as qualified URIs.
     */
    private static void prepareOutput(List<String> images, String outputDir, List<String> subFolders,
                                      List<String> names, boolean overwrite, Configuration conf) throws IOException {
        if (HadoopFiles.isLocal(outputDir) && images.stream().allMatch(HadoopFiles::isLocal)) {
            List<Path> local = images.stream().map(HadoopFiles::localPath).toList();
            Path out = HadoopFiles.localPath(outputDir);
            OutputFolder checked = null;
            for (Path folder : local.stream().map(p -> p.toAbsolutePath().getParent()).distinct().toList()) {
                OutputFolder f = OutputFolder.check(folder, local, out, subFolders, names, overwrite);
                checked = checked == null ? f : checked;
            }
            checked.prepare(names);
            return;
        }
        String out = qualified(outputDir, conf);
        for (String folder : images.stream().map(i -> qualified(i, conf)).map(SparkPrediction::parent).distinct()
                .toList()) {
            if (within(out, folder) || within(folder, out)) {
                throw new OutputFolderException("the output folder " + outputDir + " and the input folder " + folder
                        + " overlap; predictions are never written among the input files; choose an empty or new"
                        + " output folder");
            }
        }
        Map<String, Set<String>> owned = new HashMap<>();
        List<String> ownExisting = new ArrayList<>();
        for (String sub : subFolders) {
            String dir = HadoopFiles.resolve(outputDir, sub);
            List<String> present = HadoopFiles.list(dir, conf);
            Set<String> marked = new TreeSet<>();
            if (present.contains(OutputFolder.MARKER)) {
                marked.addAll(OutputFolder.markerEntries(new String(HadoopFiles.readAll(
                        HadoopFiles.resolve(dir, OutputFolder.MARKER), conf), StandardCharsets.UTF_8)));
            } else if (!present.isEmpty()) {
                throw new OutputFolderException(dir + " holds " + present.size() + " entries that segnet predict did"
                        + " not write (e.g. " + present.get(0) + "), which are left as they are; choose an empty or"
                        + " new output folder");
            }
            Set<String> existing = new TreeSet<>(present);
            for (String n : names) {
                if (existing.contains(n)) {
                    if (!marked.contains(n)) {
                        throw new OutputFolderException(dir + " holds " + n + ", which segnet predict did not write"
                                + " (its " + OutputFolder.MARKER + " does not list it) and which is left as it is;"
                                + " choose an empty or new output folder");
                    }
                    ownExisting.add(HadoopFiles.resolve(dir, n));
                }
            }
            owned.put(sub, marked);
        }
        if (!overwrite && !ownExisting.isEmpty()) {
            throw new OutputFolderException(ownExisting.size() + " output files exist already from an earlier"
                    + " segnet predict run (e.g. " + ownExisting.get(0) + "); pass overwrite to replace them, or"
                    + " choose an empty or new output folder");
        }
        for (String sub : subFolders) {
            String dir = HadoopFiles.resolve(outputDir, sub);
            HadoopFiles.mkdirs(dir, conf);
            Set<String> all = new TreeSet<>(owned.get(sub));
            all.addAll(names);
            HadoopFiles.write(HadoopFiles.resolve(dir, OutputFolder.MARKER),
                    OutputFolder.markerText(all).getBytes(StandardCharsets.UTF_8), true, conf);
        }
    }

    private static String qualified(String uri, Configuration conf) {
        try {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(uri);
            return p.getFileSystem(conf).makeQualified(p).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String parent(String uri) {
        return uri.substring(0, uri.lastIndexOf('/'));
    }

    private static boolean within(String inner, String outer) {
        return inner.equals(outer) || inner.startsWith(outer.endsWith("/") ? outer : outer + "/");
    }

    /** Predicts and writes one partition's images on an executor. */
    private static Iterator<ImageResult> predictPartition(Iterator<String> images, SparkModel model,
                                                          Options options, String outputDir,
                                                          Configuration conf) throws IOException {
        SparkModel.Loaded loaded = model.load();
        Predictor predictor = loaded.predictor(options.predictor());
        int background = options.backgroundClass() != null ? options.backgroundClass()
                : Overlay.namedBackground(loaded.classNames());
        FolderPrediction.Options render = new FolderPrediction.Options(options.outputs(),
                Palette.readable(loaded.classNames().size()), loaded.classNames(),
                new Overlay.Style(options.overlayAlpha(), 256, background), options.overwrite(), true, 1);
        List<ImageResult> results = new ArrayList<>();
        while (images.hasNext()) {
            results.add(predictOne(images.next(), predictor, render, outputDir, conf));
        }
        return results.iterator();
    }

    private static ImageResult predictOne(String image, Predictor predictor, FolderPrediction.Options render,
                                          String outputDir, Configuration conf) {
        String stem = ImageFiles.stem(Path.of(HadoopFiles.name(image)));
        Map<Output, BufferedImage> rendered;
        try (HadoopFiles.Local local = HadoopFiles.local(image, conf)) {
            rendered = FolderPrediction.render(predictor, local.path(), render);
        } catch (DataException e) {
            return new ImageResult(image, 0, e.problem().problem() + "; " + e.problem().fix());
        } catch (IOException | RuntimeException e) {
            return new ImageResult(image, 0, "cannot be read or predicted: " + e);
        }
        List<String> written = new ArrayList<>();
        try {
            for (Map.Entry<Output, BufferedImage> e : rendered.entrySet()) {
                ByteArrayOutputStream png = new ByteArrayOutputStream();
                PngFiles.encode(e.getValue(), png);
                String target = HadoopFiles.resolve(HadoopFiles.resolve(outputDir, e.getKey().folder()), stem + ".png");
                HadoopFiles.write(target, png.toByteArray(), render.overwrite(), conf);
                written.add(target);
            }
        } catch (IOException | RuntimeException e) {
            return new ImageResult(image, 0, "writing its output failed (" + e + "); " + written.size()
                    + " of its files were written: " + written);
        }
        return new ImageResult(image, rendered.size(), null);
    }
}
