package io.segnet.train.checkpoint;

import io.segnet.common.io.AtomicFiles;
import io.segnet.data.dataset.DatasetConfig;
import io.segnet.inference.Preprocessing;
import io.segnet.models.SegmentationModel;
import io.segnet.models.io.CorruptModelFileException;
import io.segnet.models.io.ModelArchive;
import io.segnet.train.ConfigFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A training checkpoint: a {@link SegmentationModel} zip (graph, parameters, optimiser state, model config, model
 * card), which {@link SegmentationModel#load} reads as any saved model, with one more entry, {@value #ENTRY}: the
 * {@link TrainingMetadata} (trainer state and settings, class names, preprocessing).
 *
 * <p>Saving writes the zip once ({@link ModelArchive}, through {@link AtomicFiles}): the complete zip is written to a
 * temporary file, flushed to the disk and renamed over the previous checkpoint in one step, so a crash or Ctrl-C
 * during a save leaves the previous checkpoint intact and loadable.
 */
public final class Checkpoint {

    /** The zip entry holding the training metadata. */
    public static final String ENTRY = "segnet-train.json";

    /**
     * A loaded checkpoint.
     *
     * @param model    the model, with optimiser state
     * @param metadata the training metadata, empty for a model saved without one
     */
    public record Contents(SegmentationModel model, Optional<TrainingMetadata> metadata) {

        /**
         * The class names the model was trained with; {@code class0..} (two for a one-class model) for a model saved
         * without training metadata.
         */
        public List<String> classNames() {
            if (metadata.isPresent()) {
                return metadata.get().classNames();
            }
            int k = model.config().numClasses();
            return DatasetConfig.of(k == 1 ? 2 : k).classNames();
        }

        /** The preprocessing the model was trained with; none for a model saved without training metadata. */
        public Preprocessing preprocessing() {
            return metadata.map(TrainingMetadata::preprocessing).orElse(Preprocessing.none());
        }
    }

    private Checkpoint() {
    }

    /**
     * A system property for fault-injection tests: a number of milliseconds that every save waits, with its complete
     * temporary file written, before putting it in place, after printing {@value #PAUSE_LINE} and the file names to
     * standard error (so that a test can kill the process exactly then). Unset in normal use.
     */
    public static final String PAUSE_PROPERTY = "segnet.test.checkpointPauseMillis";
    /** The start of the line a paused save prints. */
    public static final String PAUSE_LINE = "checkpoint save paused before the rename:";

    /** Saves model and metadata to {@code file}, replacing it atomically if it exists. */
    public static void save(Path file, SegmentationModel model, TrainingMetadata metadata) throws IOException {
        String pause = System.getProperty(PAUSE_PROPERTY);
        save(file, model, metadata, pause == null ? t -> { } : t -> pauseBeforeRename(t, file, Long.parseLong(pause)));
    }

    private static void pauseBeforeRename(Path temporary, Path file, long millis) throws IOException {
        System.err.println(PAUSE_LINE + " " + temporary + " -> " + file);
        System.err.flush();
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while paused before saving " + file);
        }
    }

    static void save(Path file, SegmentationModel model, TrainingMetadata metadata, AtomicFiles.BeforeRename hook)
            throws IOException {
        model.save(file, true, Map.of(ENTRY, ConfigFiles.toJson(metadata)), hook);
    }

    /**
     * Writes {@code model} with {@code metadata} for inference to {@code file}: parameters, config, model card and
     * the metadata (preprocessing, class names), without the optimiser state, so the file is a third of a
     * checkpoint's size with Adam. It predicts, evaluates and fine-tunes ({@code --init}) like the checkpoint;
     * {@link io.segnet.train.Trainer#resume} refuses it.
     *
     * @param overwrite replace an existing file; if false and {@code file} exists, nothing is written
     */
    public static void export(Path file, boolean overwrite, SegmentationModel model, Optional<TrainingMetadata> metadata)
            throws IOException {
        model.saveForInference(file, overwrite, metadata.isEmpty() ? Map.of()
                : Map.of(ENTRY, ConfigFiles.toJson(metadata.get())));
    }

    /** True if {@code file} holds the optimiser state that resuming a run needs (a checkpoint, not an export). */
    public static boolean hasOptimizerState(Path file) throws IOException {
        return ModelArchive.hasEntry(file, ModelArchive.OPTIMIZER_STATE);
    }

    /**
     * Loads a checkpoint, or any saved segnet model (then without metadata).
     *
     * @throws NoSuchFileException      if the file does not exist
     * @throws IllegalArgumentException if it is not a segnet model, or its metadata is unreadable
     */
    public static Contents load(Path file) throws IOException {
        SegmentationModel model = SegmentationModel.load(file);
        return new Contents(model, readMetadata(file));
    }

    /**
     * Loads a checkpoint, or any saved segnet model, for prediction and evaluation: without the optimiser state
     * ({@link SegmentationModel#loadForInference}).
     */
    public static Contents loadForInference(Path file) throws IOException {
        SegmentationModel model = SegmentationModel.loadForInference(file);
        return new Contents(model, readMetadata(file));
    }

    /**
     * The training metadata of a checkpoint, or empty if the file is a model saved without one.
     *
     * @throws IllegalArgumentException naming the file if the metadata entry is unreadable
     * @throws CorruptModelFileException naming the file if it is not a readable zip
     */
    public static Optional<TrainingMetadata> readMetadata(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no checkpoint there");
        }
        try {
            Optional<String> json = ModelArchive.readEntry(file, ENTRY);
            return json.isEmpty() ? Optional.empty() : Optional.of(ConfigFiles.convert(
                    ConfigFiles.JSON.readTree(json.get()), TrainingMetadata.class, file + " (" + ENTRY + ")"));
        } catch (CorruptModelFileException e) {
            throw new CorruptModelFileException(file, file + " is not a segnet checkpoint, or is corrupt or truncated"
                    + " (" + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()) + ")", e);
        }
    }
}
