package io.segnet.train.checkpoint;

import io.segnet.common.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The folder of one training run:
 * <pre>
 * last.zip       checkpoint after the latest epoch (and on Ctrl-C): model, optimiser state, trainer state
 * best.zip       checkpoint of the epoch with the best validation score
 * metrics.jsonl  the metrics log, one JSON record per line
 * curve.png      the training curve
 * report.html    the run report (curves, per-class table, confusion matrix, sample panels), self-contained
 * config.yaml    the settings of the run
 * </pre>
 * Rules: a new run needs a missing or empty folder; {@link #create} with {@code overwrite} clears a used one, but
 * only of the entries segnet writes (the names above, plus any the caller names, plus left-over temporary files) and
 * refuses if anything else is there, so a user's own files are never deleted; {@link #resume} needs
 * {@code last.zip}. Nothing is ever written outside the folder.
 */
public final class RunDirectory {

    /** The latest checkpoint. */
    public static final String LAST = "last.zip";
    /** The best checkpoint. */
    public static final String BEST = "best.zip";
    /** The metrics log. */
    public static final String METRICS = "metrics.jsonl";
    /** The training curve. */
    public static final String CURVE = "curve.png";
    /** The run's settings. */
    public static final String CONFIG = "config.yaml";
    /** The run report. */
    public static final String REPORT = "report.html";
    /** Every entry a run writes. */
    public static final Set<String> ENTRIES = Set.of(LAST, BEST, METRICS, CURVE, CONFIG, REPORT);

    private final Path dir;

    private RunDirectory(Path dir) {
        this.dir = dir;
    }

    /**
     * Prepares the folder of a new run.
     *
     * @param dir          the folder (created with its parents if missing)
     * @param overwrite    whether a folder holding a previous run may be cleared
     * @param otherEntries further names (files or folders) that the caller writes into the run folder and that
     *                     {@code overwrite} may therefore delete, e.g. {@code "predictions"}
     * @throws IllegalArgumentException if the folder is not empty and {@code overwrite} is false, or holds entries
     *                                  that segnet did not write (listed in the message)
     */
    public static RunDirectory create(Path dir, boolean overwrite, Set<String> otherEntries) throws IOException {
        Objects.requireNonNull(dir, "dir");
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is a file, not a folder; choose a folder for the run");
        }
        Files.createDirectories(dir);
        AtomicFiles.deleteStaleTemporaries(dir);
        List<Path> present = list(dir);
        if (!present.isEmpty()) {
            String names = present.stream().map(p -> p.getFileName().toString()).sorted()
                    .collect(Collectors.joining(", "));
            if (!overwrite) {
                throw new IllegalArgumentException("run folder " + dir + " is not empty (" + names + "); continue"
                        + " that run with --resume, replace it with --overwrite, or choose another folder");
            }
            Set<String> known = new TreeSet<>(ENTRIES);
            known.addAll(otherEntries);
            List<String> foreign = present.stream().map(p -> p.getFileName().toString())
                    .filter(n -> !known.contains(n)).sorted().toList();
            if (!foreign.isEmpty()) {
                throw new IllegalArgumentException("run folder " + dir + " holds entries segnet did not write ("
                        + String.join(", ", foreign) + "); --overwrite only replaces a previous run's own files."
                        + " Move those away or choose another folder");
            }
            for (Path p : present) {
                deleteRecursively(p);
            }
        }
        return new RunDirectory(dir);
    }

    /** {@link #create(Path, boolean, Set)} with no further entries. */
    public static RunDirectory create(Path dir, boolean overwrite) throws IOException {
        return create(dir, overwrite, Set.of());
    }

    /**
     * Opens the folder of a run to continue it; removes temporary files an interrupted save left behind.
     *
     * @throws IllegalArgumentException if the folder has no {@code last.zip}
     */
    public static RunDirectory resume(Path dir) throws IOException {
        // First the clean-up, so that a refused resume leaves no interrupted save's temporary file behind either.
        AtomicFiles.deleteStaleTemporaries(dir);
        if (!Files.isRegularFile(dir.resolve(LAST))) {
            throw new IllegalArgumentException("cannot resume: " + dir.resolve(LAST) + " does not exist; a run"
                    + " writes it after its first epoch (or when stopped with Ctrl-C). Start a new run instead");
        }
        return new RunDirectory(dir);
    }

    /** The folder. */
    public Path path() {
        return dir;
    }

    /** {@code last.zip}. */
    public Path last() {
        return dir.resolve(LAST);
    }

    /** {@code best.zip}. */
    public Path best() {
        return dir.resolve(BEST);
    }

    /** {@code metrics.jsonl}. */
    public Path metrics() {
        return dir.resolve(METRICS);
    }

    /** {@code curve.png}. */
    public Path curve() {
        return dir.resolve(CURVE);
    }

    /** {@code report.html}. */
    public Path report() {
        return dir.resolve(REPORT);
    }

    /** {@code config.yaml}. */
    public Path config() {
        return dir.resolve(CONFIG);
    }

    /** Another entry of the folder. */
    public Path resolve(String name) {
        return dir.resolve(name);
    }

    @Override
    public String toString() {
        return dir.toString();
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return new ArrayList<>(s.toList());
        }
    }

    private static void deleteRecursively(Path p) throws IOException {
        if (!Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(p);
            return;
        }
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
