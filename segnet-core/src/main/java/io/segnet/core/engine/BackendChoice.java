package io.segnet.core.engine;

import org.nd4j.linalg.api.buffer.DataType;

import java.util.Objects;
import java.util.function.Function;

/**
 * A layer runtime's backend ({@link ConvolutionBackend}, {@link TransposedConvolutionBackend}): chosen by a selection
 * function when the runtime first sees a data type, then kept for as long as the data type stays the same. Not
 * thread-safe, like the runtime that holds it.
 *
 * @param <B> the backend type
 */
public final class BackendChoice<B> {
    private final Function<DataType, B> select;
    private B chosen;
    private DataType chosenFor;

    /** @param select the backend for a data type, e.g. {@code TransposedConvolutionBackend::select} */
    public BackendChoice(Function<DataType, B> select) {
        this.select = Objects.requireNonNull(select, "select");
    }

    /** The backend for {@code type}: the one chosen before if the type is the same, else a new choice. */
    public B forType(DataType type) {
        if (type != chosenFor) {
            chosen = select.apply(type);
            chosenFor = type;
        }
        return chosen;
    }
}
