package io.segnet.inference;

import io.segnet.data.DataException;
import io.segnet.data.DataProblem;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Some input images of a prediction cannot be read (empty, truncated, corrupt, not an image): nothing was written.
 * The message lists every such file with the reason and says that {@code --skip-bad} predicts the others;
 * {@link #problems()} holds them as data.
 */
public class UnreadableImagesException extends DataException {

    private final String message;

    /**
     * @param problems the unreadable files, at least one
     * @param inputs   how many input images there are
     */
    public UnreadableImagesException(List<DataProblem> problems, int inputs) {
        super(problems);
        String head = problems.size() == inputs
                ? (inputs == 1 ? "the input image cannot be read" : "none of the " + inputs + " input images can be read")
                : problems.size() + " of " + inputs + " input images cannot be read";
        String hint = problems.size() == inputs ? "re-export them from their source"
                : "re-export or remove them, or pass --skip-bad to predict the other " + (inputs - problems.size());
        this.message = head + "; nothing was written; " + hint + ":\n" + problems.stream()
                .map(p -> "  - " + p.file() + ": " + p.problem()).collect(Collectors.joining("\n"));
    }

    @Override
    public String getMessage() {
        return message;
    }
}
