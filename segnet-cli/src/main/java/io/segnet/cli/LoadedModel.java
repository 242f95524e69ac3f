package io.segnet.cli;

import io.segnet.inference.Preprocessing;
import io.segnet.models.SegmentationModel;
import io.segnet.models.io.CorruptModelFileException;
import io.segnet.models.io.ModelArchive;
import io.segnet.train.checkpoint.Checkpoint;
import io.segnet.train.checkpoint.RunDirectory;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A saved model with what prediction needs from its checkpoint: the preprocessing it was trained with and the class
 * names, and the run settings ({@code config.yaml}) next to it, if any.
 *
 * @param model         the model, with batch norm folded for inference ({@link SegmentationModel#foldedForInference})
 * @param preprocessing its training preprocessing (none for a model saved without training metadata)
 * @param classNames    its class names ({@code class0..} for a model saved without them)
 * @param run           the settings of the run folder the model file is in, if it has a {@code config.yaml}
 */
record LoadedModel(SegmentationModel model, Preprocessing preprocessing, List<String> classNames,
                   Optional<RunSpec> run) {

    /** Loads {@code file}; warns on {@code err} when it carries no training metadata. */
    static LoadedModel load(Path file, PrintWriter err) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no model file there (a run writes best.zip and"
                    + " last.zip into its run folder)");
        }
        Checkpoint.Contents c;
        try {
            c = Checkpoint.loadForInference(file);
        } catch (CorruptModelFileException e) {
            throw withAlternative(e, "--model");
        }
        if (c.metadata().isEmpty()) {
            err.println("note: " + file + " carries no training metadata; using no normalisation and class names"
                    + " class0..");
        }
        Path config = file.toAbsolutePath().getParent().resolve(RunDirectory.CONFIG);
        Optional<RunSpec> run = Files.isRegularFile(config)
                ? Optional.of(RunSpec.load(config, io.segnet.train.ConfigFiles.JSON.createObjectNode()))
                : Optional.empty();
        // Prediction and evaluation only run the model: fold its batch norms into the convolutions (same logits to
        // float rounding, one pass less per block).
        return new LoadedModel(c.model().toInference(), c.preprocessing(), c.classNames(), run);
    }

    /**
     * The message of a corrupt model file with the fix: the other checkpoint of its run folder ({@code best.zip} for
     * {@code last.zip} and the other way round) given with {@code flag}, if that one is intact; else what to do.
     */
    static CorruptModelFileException withAlternative(CorruptModelFileException e, String flag) {
        Path other = otherCheckpoint(e.file());
        String fix = other != null ? "; use the run's other checkpoint: " + flag + " " + other
                : "; copy or export the file again (a run folder's best.zip and last.zip can stand in for each other)";
        return new CorruptModelFileException(e.file(), e.getMessage() + fix, e);
    }

    /** The other checkpoint of the run folder {@code file} is in, if it exists and is intact; else null. */
    static Path otherCheckpoint(Path file) {
        Path name = file.getFileName();
        if (name == null) {
            return null;
        }
        String other = name.toString().equals(RunDirectory.BEST) ? RunDirectory.LAST : RunDirectory.BEST;
        Path candidate = file.resolveSibling(other);
        if (candidate.equals(file) || !Files.isRegularFile(candidate)) {
            return null;
        }
        try {
            ModelArchive.verify(candidate);
            return candidate;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
