package io.segnet.core.engine.nd4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/** Element-wise activations through libnd4j's native ops. */
public final class Nd4jElementwise {
    private Nd4jElementwise() {
    }

    /** {@code a = max(0, a)} in place, any shape (libnd4j's {@code relu}, vectorised and multi-threaded). */
    public static void reluInPlace(INDArray a) {
        Nd4j.exec(DynamicCustomOp.builder("relu").addInputs(a).addOutputs(a).addFloatingPointArguments(0.0)
                .callInplace(true).build());
    }
}
