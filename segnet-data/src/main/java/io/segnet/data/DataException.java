package io.segnet.data;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Bad data: thrown when a file or folder cannot be used, with a message that names the file, says what
 * is wrong and what to do. {@link #problems()} gives the same information as data.
 *
 * <p>Unchecked, because a caller can rarely recover from bad training data other than by fixing it.
 */
public class DataException extends RuntimeException {

    /** How many problems the message lists; {@link #problems()} holds all of them. */
    public static final int LISTED = 20;

    private final transient List<DataProblem> problems;

    /** One problem. */
    public DataException(DataProblem problem) {
        this(List.of(problem), null);
    }

    /** One problem caused by a lower-level exception (kept as the cause). */
    public DataException(DataProblem problem, Throwable cause) {
        this(List.of(problem), cause);
    }

    /** Several problems found together; the message lists them all. */
    public DataException(List<DataProblem> problems) {
        this(problems, null);
    }

    private DataException(List<DataProblem> problems, Throwable cause) {
        super(message(problems), cause);
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a DataException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** Shorthand for a single problem. */
    public static DataException of(Path file, DataProblem.Kind kind, String problem, String fix) {
        return new DataException(new DataProblem(file, kind, problem, fix));
    }

    /** The problems, at least one. */
    public List<DataProblem> problems() {
        return problems;
    }

    /** The first problem. */
    public DataProblem problem() {
        return problems.get(0);
    }

    private static String message(List<DataProblem> problems) {
        if (problems.size() == 1) {
            return problems.get(0).toString();
        }
        String listed = problems.stream().limit(LISTED).map(p -> "  - " + p).collect(Collectors.joining("\n"));
        return problems.size() + " problems:\n" + listed + (problems.size() > LISTED ? "\n  ... and "
                + (problems.size() - LISTED) + " more (problems() has them all)" : "");
    }
}
