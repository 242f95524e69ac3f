package io.segnet.core.testutil;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;

/**
 * Runs a golden case through a harness: copies the golden parameters in, checks the output against PyTorch's
 * {@code y} and the input and parameter gradients of {@code sum(y * R)} against PyTorch's {@code grad_*}.
 */
public final class GoldenCheck {
    private GoldenCheck() {
    }

    /** Relative tolerance for float32 runs (issue: 1e-4 relative) and for float64 runs. */
    public static double tolerance(DataType type) {
        return type == DataType.FLOAT ? 1e-4 : 1e-9;
    }

    /**
     * @param params  golden tensor name -> layer parameter name
     * @param inputs  golden tensor names of the inputs, in order
     */
    public static void run(Golden g, LayerHarness h, DataType type, Map<String, String> params, String... inputs) {
        run(g, h, type, true, params, inputs);
    }

    /** As {@link #run(Golden, LayerHarness, DataType, Map, String...)}, in training or inference mode. */
    public static void run(Golden g, LayerHarness h, DataType type, boolean training, Map<String, String> params,
                           String... inputs) {
        params.forEach((golden, param) -> h.setParam(param, g.tensor(golden, type)));
        INDArray[] in = new INDArray[inputs.length];
        for (int i = 0; i < in.length; i++) {
            in[i] = g.tensor(inputs[i], type);
        }
        double tol = tolerance(type);
        INDArray y = h.forward(training, in);
        Assertions.assertClose(g.tensor("y", DataType.DOUBLE), y, tol, g.name() + " output (" + type + ")");
        LayerHarness.Grads grads = h.backward(g.tensor("R", type));
        for (int i = 0; i < inputs.length; i++) {
            if (g.has("grad_" + inputs[i])) {
                Assertions.assertClose(g.tensor("grad_" + inputs[i], DataType.DOUBLE), grads.inputs()[i], tol,
                        g.name() + " grad of " + inputs[i] + " (" + type + ")");
            }
        }
        params.forEach((golden, param) -> Assertions.assertClose(g.tensor("grad_" + golden, DataType.DOUBLE),
                grads.params().get(param), tol, g.name() + " grad of " + param + " (" + type + ")"));
    }
}
