package io.segnet.inference;

import io.segnet.common.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The output folder of {@link FolderPrediction} and its sub-folders ({@code masks/}, {@code color/},
 * {@code overlay/}), checked before anything is written so that prediction never touches a file it did not write.
 *
 * <ul>
 *   <li><b>Location</b>: paths are compared as real paths (symbolic links resolved, via {@link #realPath}); the output
 *       folder and each sub-folder must not be, contain or lie inside the input folder (for a single-file input:
 *       the file's folder), and no input file may lie inside a sub-folder.</li>
 *   <li><b>Ownership</b>: each sub-folder prediction writes to carries a marker file {@value #MARKER} listing the
 *       files prediction wrote there. A sub-folder that exists without the marker is used only if it is empty. An
 *       existing output file is replaced only with {@code overwrite} and only if its folder's marker lists it; any
 *       other existing file is left alone and the run refused.</li>
 * </ul>
 *
 * <p>{@link #prepare} creates the sub-folders and writes the markers (listing the files about to be written) before
 * the first output file, so that a run that stops half-way still owns what it wrote.
 */
public final class OutputFolder {

    /** The marker file in each output sub-folder: which files segnet predict wrote there. */
    public static final String MARKER = ".segnet-predict";

    private static final String HEADER = "# segnet predict wrote the files listed below into this folder and may"
            + " replace them (segnet predict --overwrite).\n# Without this file segnet predict writes here only if"
            + " the folder is empty.\n";

    private static final String CHOOSE = "choose an empty or new output folder";

    private final Path path;
    private final Map<String, Set<String>> owned;

    private OutputFolder(Path path, Map<String, Set<String>> owned) {
        this.path = path;
        this.owned = owned;
    }

    /** The output folder's real path ({@link #realPath}): where the checked sub-folders are and the files go. */
    public Path path() {
        return path;
    }

    /**
     * Checks that predictions of {@code inputs} may be written under {@code outputDir}; writes nothing.
     *
     * @param input      the input file or folder as given
     * @param inputs     the input image files
     * @param outputDir  the output folder as given
     * @param subFolders the sub-folders to write ({@code masks}, ...)
     * @param fileNames  the file names to write into each sub-folder
     * @param overwrite  whether files an earlier prediction wrote may be replaced
     * @throws OutputFolderException saying what is wrong and what to do
     */
    public static OutputFolder check(Path input, List<Path> inputs, Path outputDir, Collection<String> subFolders,
                                     Collection<String> fileNames, boolean overwrite) throws IOException {
        Path realIn = realPath(Files.isDirectory(input) ? input : input.toAbsolutePath().getParent());
        String inWhat = Files.isDirectory(input) ? "the input folder " + input
                : "the folder of the input file " + input + " (" + realIn + ")";
        Path realOut = realPath(outputDir);
        refuseOverlap("the output folder " + outputDir, realOut, realIn, inWhat);
        requireCreatable(outputDir, realOut);
        List<Path> realInputs = new ArrayList<>();
        for (Path p : inputs) {
            realInputs.add(realPath(p));
        }
        Map<String, Set<String>> owned = new LinkedHashMap<>();
        List<Path> ownExisting = new ArrayList<>();
        for (String sub : subFolders) {
            Path shown = outputDir.resolve(sub);
            Path dir = realOut.resolve(sub);
            Path realDir = realPath(dir);
            refuseOverlap("the " + sub + "/ output folder " + shown, realDir, realIn, inWhat);
            for (Path f : realInputs) {
                if (f.startsWith(realDir)) {
                    throw new OutputFolderException("the input file " + f + " lies in the " + sub + "/ output folder "
                            + dir + "; predictions would replace it; " + CHOOSE);
                }
            }
            Set<String> names = new TreeSet<>();
            if (Files.exists(dir)) {
                if (!Files.isDirectory(dir)) {
                    throw new OutputFolderException(shown + " exists and is not a folder; predictions go to " + sub
                            + "/ below the output folder; " + CHOOSE);
                }
                Path marker = dir.resolve(MARKER);
                if (Files.isRegularFile(marker)) {
                    names.addAll(readMarker(marker));
                } else {
                    List<String> present = list(dir);
                    if (!present.isEmpty()) {
                        throw new OutputFolderException(shown + " holds " + present.size() + " entr"
                                + (present.size() == 1 ? "y" : "ies") + " that segnet predict did not write (e.g. "
                                + present.get(0) + "), which are left as they are; " + CHOOSE);
                    }
                }
                List<String> foreign = new ArrayList<>();
                for (String name : fileNames) {
                    if (Files.exists(dir.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                        if (names.contains(name)) {
                            ownExisting.add(shown.resolve(name));
                        } else {
                            foreign.add(name);
                        }
                    }
                }
                if (!foreign.isEmpty()) {
                    throw new OutputFolderException(shown + " holds " + foreign.size() + " file"
                            + (foreign.size() == 1 ? "" : "s") + " with output names that segnet predict did not"
                            + " write (e.g. " + foreign.get(0) + "; its " + MARKER + " file does not list them),"
                            + " which are left as they are; " + CHOOSE);
                }
            }
            owned.put(sub, names);
        }
        if (!overwrite && !ownExisting.isEmpty()) {
            throw new OutputFolderException(ownExisting.size() + " output files exist already from an earlier"
                    + " segnet predict run (e.g. " + ownExisting.get(0) + "); pass --overwrite to replace them, or "
                    + CHOOSE);
        }
        return new OutputFolder(realOut, owned);
    }

    /**
     * Creates the sub-folders and adds {@code fileNames} to each one's marker, before any output file is written.
     *
     * @throws OutputFolderException if a folder cannot be created (saying why)
     */
    public void prepare(Collection<String> fileNames) throws IOException {
        for (Map.Entry<String, Set<String>> e : owned.entrySet()) {
            Path dir = path.resolve(e.getKey());
            try {
                Files.createDirectories(dir);
            } catch (IOException ex) {
                throw new OutputFolderException("cannot create the output folder " + dir + ": " + reason(ex) + "; "
                        + CHOOSE, ex);
            }
            Set<String> names = new TreeSet<>(e.getValue());
            names.addAll(fileNames);
            AtomicFiles.writeString(dir.resolve(MARKER), true, markerText(names));
        }
    }

    /**
     * The real path of {@code p}: its nearest existing ancestor with symbolic links resolved
     * ({@link Path#toRealPath}), followed by the names that do not exist yet.
     */
    public static Path realPath(Path p) throws IOException {
        Path abs = p.toAbsolutePath();
        Deque<Path> missing = new ArrayDeque<>();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            missing.push(existing.getFileName());
            existing = existing.getParent();
        }
        Path real = existing == null ? abs.getRoot() : existing.toRealPath();
        while (!missing.isEmpty()) {
            real = real.resolve(missing.pop());
        }
        return real.normalize();
    }

    private static void refuseOverlap(String what, Path real, Path realIn, String inWhat) {
        String relation = real.equals(realIn) ? "is" : realIn.startsWith(real) ? "contains"
                : real.startsWith(realIn) ? "lies inside" : null;
        if (relation != null) {
            throw new OutputFolderException(what + " (" + real + ") " + relation + " " + inWhat
                    + "; predictions are never written among the input files; " + CHOOSE);
        }
    }

    /**
     * The output folder must be creatable: the nearest existing ancestor is a writable folder, and a missing output
     * folder is created and removed again (a probe that leaves nothing behind), so that a folder the file system
     * refuses (e.g. below {@code /proc}) is reported before any image is read.
     */
    private static void requireCreatable(Path outputDir, Path realOut) {
        Path existing = realOut;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return;
        }
        if (!Files.isDirectory(existing)) {
            throw new OutputFolderException("cannot create the output folder " + outputDir + ": " + existing
                    + " is a file, not a folder; " + CHOOSE);
        }
        if (!Files.isWritable(existing)) {
            throw new OutputFolderException("cannot " + (existing.equals(realOut) ? "write into" : "create")
                    + " the output folder " + outputDir + ": " + existing + " is not writable; " + CHOOSE);
        }
        if (existing.equals(realOut)) {
            return;
        }
        try {
            Files.createDirectories(realOut);
        } catch (IOException e) {
            throw new OutputFolderException("cannot create the output folder " + outputDir + ": " + reason(e)
                    + "; " + CHOOSE, e);
        }
        try {
            for (Path p = realOut; !p.equals(existing); p = p.getParent()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new OutputFolderException("the output folder " + outputDir + " could be created but not removed"
                    + " again (" + reason(e) + ")", e);
        }
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static List<String> readMarker(Path marker) throws IOException {
        return markerEntries(Files.readString(marker));
    }

    /** The content of a {@value #MARKER} file listing {@code names} (for writers on other file systems). */
    public static String markerText(Collection<String> names) {
        return HEADER + String.join("\n", names) + "\n";
    }

    /** The file names a {@value #MARKER} file's content lists. */
    public static List<String> markerEntries(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    /** Why a file operation failed, in words: "creating /proc/x: no such file or directory". */
    private static String reason(IOException e) {
        if (!(e instanceof java.nio.file.FileSystemException f)) {
            return e.toString();
        }
        String why = f.getReason() != null ? f.getReason()
                : e instanceof java.nio.file.NoSuchFileException ? "no such file or directory (the file system does"
                + " not allow a new folder there)"
                : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : e instanceof java.nio.file.FileAlreadyExistsException ? "a file of that name exists"
                : e.getClass().getSimpleName();
        return "creating " + f.getFile() + " failed: " + why;
    }
}
