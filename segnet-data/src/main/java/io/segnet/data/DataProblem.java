package io.segnet.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One thing wrong with a data set: which file, what is wrong, and what to do about it.
 *
 * <p>{@link DataException} carries one or more of these; {@code ValidationReport} lists all of a data
 * set's problems at once.
 *
 * @param file    the file or folder concerned (never null)
 * @param kind    the category, for programs that react to problems
 * @param problem what is wrong, e.g. "mask is 256x256 but its image is 512x512"
 * @param fix     what to do, e.g. "re-export the mask at the image's size"
 */
public record DataProblem(Path file, Kind kind, String problem, String fix) {

    /** Categories of data problems. */
    public enum Kind {
        /** A folder that should exist does not, or is not a folder. */
        MISSING_FOLDER,
        /** A folder holds no usable files. */
        EMPTY_FOLDER,
        /** An image has no mask with the same stem. */
        MISSING_MASK,
        /** A mask has no image with the same stem. */
        ORPHAN_MASK,
        /** Two files in one folder share a stem (e.g. 3.png and 3.jpg). */
        DUPLICATE_STEM,
        /** A file cannot be decoded: corrupt, truncated, empty or not an image. */
        UNREADABLE,
        /** Image and mask differ in size. */
        SIZE_MISMATCH,
        /** Images of one data set differ in channel count. */
        CHANNEL_MISMATCH,
        /** Mask values that are neither a class nor the ignore value. */
        BAD_MASK_VALUE,
        /** A mask stored in a lossy format (JPEG), whose compression noise changes class ids. */
        LOSSY_MASK,
        /** RGB mask colours that the colour table does not list. */
        UNKNOWN_COLOUR,
        /** A mask stored in a way the configured mask format cannot read (e.g. RGB for an index format). */
        WRONG_MASK_FORMAT,
        /** A file's content does not have the expected structure (headers, shapes, dtypes). */
        BAD_CONTENT,
        /** A split names a sample the data set does not have. */
        UNKNOWN_SAMPLE
    }

    /** Requires every field. */
    public DataProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(fix, "fix");
    }

    /** {@code file: problem. fix} on one line. */
    @Override
    public String toString() {
        return file + ": " + problem + ". " + fix;
    }
}
