package io.segnet.data.dataset;

import io.segnet.data.DataException;
import io.segnet.data.DataProblem;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything wrong with a data set, found in one pass: each problem with its file, what is wrong and what
 * to do, plus warnings (suspicious but not invalid, e.g. a class that no mask contains) and the pixel
 * count of every class.
 *
 * <p>{@link #toString()} is meant for the command line:
 * <pre>
 * data set image=data/x/image mask=data/x/label: 30 samples checked, 2 problems, 0 warnings
 * problems:
 *   1. data/x/label/3.png [SIZE_MISMATCH]
 *      mask is 256x256 but its image data/x/image/3.png is 512x512
 *      fix: re-export the mask at its image's size ...
 * class pixels: membrane 21.9%, cell 78.1%, ignored 0.0%
 * </pre>
 *
 * @param dataset        a description of the data set (folders)
 * @param samplesChecked number of image/mask pairs whose files were read
 * @param problems       every problem found, in file order
 * @param warnings       observations that do not stop training but are likely mistakes
 * @param classNames     class names, for the pixel summary
 * @param classPixels    pixels per class over all masks that could be read
 * @param ignoredPixels  pixels with the ignore value
 */
public record ValidationReport(String dataset, int samplesChecked, List<DataProblem> problems, List<String> warnings,
                               List<String> classNames, long[] classPixels, long ignoredPixels) {

    /** Copies the lists. */
    public ValidationReport {
        Objects.requireNonNull(dataset, "dataset");
        problems = List.copyOf(problems);
        warnings = List.copyOf(warnings);
        classNames = List.copyOf(classNames);
        classPixels = classPixels.clone();
        if (classPixels.length != classNames.size()) {
            throw new IllegalArgumentException(classPixels.length + " pixel counts for " + classNames.size()
                    + " classes");
        }
    }

    /** Whether no problem was found (warnings do not count). */
    public boolean isOk() {
        return problems.isEmpty();
    }

    /** Throws a {@link DataException} listing every problem, if there is any. */
    public void throwIfProblems() {
        if (!problems.isEmpty()) {
            throw new DataException(problems);
        }
    }

    /** Problems of one kind. */
    public List<DataProblem> problems(DataProblem.Kind kind) {
        return problems.stream().filter(p -> p.kind() == kind).toList();
    }

    @Override
    public long[] classPixels() {
        return classPixels.clone();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        s.append("data set ").append(dataset).append(": ").append(samplesChecked).append(" samples checked, ")
                .append(problems.size()).append(problems.size() == 1 ? " problem, " : " problems, ")
                .append(warnings.size()).append(warnings.size() == 1 ? " warning" : " warnings").append('\n');
        if (!problems.isEmpty()) {
            s.append("problems:\n");
            for (int i = 0; i < problems.size(); i++) {
                DataProblem p = problems.get(i);
                s.append(String.format(Locale.ROOT, "%3d. %s [%s]%n", i + 1, p.file(), p.kind()));
                s.append("     ").append(p.problem()).append('\n');
                s.append("     fix: ").append(p.fix()).append('\n');
            }
        }
        if (!warnings.isEmpty()) {
            s.append("warnings:\n");
            for (String w : warnings) {
                s.append("  - ").append(w).append('\n');
            }
        }
        long total = ignoredPixels;
        for (long c : classPixels) {
            total += c;
        }
        if (total > 0) {
            s.append("class pixels:");
            for (int k = 0; k < classPixels.length; k++) {
                s.append(k == 0 ? " " : ", ").append(classNames.get(k))
                        .append(String.format(Locale.ROOT, " %.1f%%", 100.0 * classPixels[k] / total));
            }
            s.append(String.format(Locale.ROOT, ", ignored %.1f%%", 100.0 * ignoredPixels / total)).append('\n');
        }
        return s.toString();
    }
}
