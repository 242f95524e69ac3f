package io.segnet.core.graph;

import io.segnet.core.engine.nd4j.Nd4jElementwise;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * The end of a residual block: {@code relu(x_0 + x_1 + ...)} over two or more inputs of one shape
 * {@code [N, C, H, W] -> [N, C, H, W]} (He et al. 2016, "out += identity; out = relu(out)").
 *
 * <p>The sum and the ReLU run as native ops on the whole tensor, the ReLU in place, so the block end costs two passes
 * over the activation as in PyTorch; DL4J's {@code ActivationLayer} after an {@code ElementWiseVertex} would cost more.
 * Backward: every input receives {@code dy} masked where the output is 0.
 */
public class AddRelu extends SegnetVertex {

    /** A residual sum followed by ReLU. */
    public AddRelu() {
    }

    @Override
    public int minVertexInputs() {
        return 2;
    }

    @Override
    public int maxVertexInputs() {
        return Integer.MAX_VALUE;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
        InputType.InputTypeConvolutional[] in = convolutional(vertexInputs);
        for (InputType.InputTypeConvolutional t : in) {
            if (t.getChannels() != in[0].getChannels() || t.getHeight() != in[0].getHeight()
                    || t.getWidth() != in[0].getWidth()) {
                throw new IllegalArgumentException("AddRelu: all inputs must have one shape, got "
                        + Arrays.toString(vertexInputs));
            }
        }
        return in[0];
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
                                                                      INDArray paramsView, boolean initializeParams,
                                                                      DataType networkDatatype) {
        return new Runtime(graph, name, idx, networkDatatype);
    }

    @Override
    public String toString() {
        return "AddRelu()";
    }

    /** Runtime of {@link AddRelu}; keeps its last output for the ReLU mask of the backward pass. */
    public static final class Runtime extends SegnetVertexRuntime {
        private INDArray lastOutput;

        Runtime(ComputationGraph graph, String name, int idx, DataType dataType) {
            super(graph, name, idx, dataType);
        }

        @Override
        protected INDArray forward(INDArray[] in, LayerWorkspaceMgr ws) {
            for (int i = 1; i < in.length; i++) {
                if (!Arrays.equals(in[i].shape(), in[0].shape())) {
                    throw new IllegalArgumentException(this + ": input " + i + " has shape "
                            + Arrays.toString(in[i].shape()) + ", input 0 has " + Arrays.toString(in[0].shape())
                            + "; a residual sum needs equal shapes");
                }
            }
            INDArray out = newOutput(ws, in[0].shape());
            Nd4j.exec(new AddOp(in[0], in[1], out));
            for (int i = 2; i < in.length; i++) {
                Nd4j.exec(new AddOp(out, in[i], out));
            }
            Nd4jElementwise.reluInPlace(out);
            lastOutput = out;
            return out;
        }

        @Override
        protected INDArray[] backward(INDArray[] in, INDArray dy, LayerWorkspaceMgr ws) {
            if (lastOutput == null || !Arrays.equals(lastOutput.shape(), dy.shape())) {
                throw new IllegalStateException(this + ": backward pass without a matching forward pass (output"
                        + " gradient " + Arrays.toString(dy.shape()) + ")");
            }
            INDArray[] grads = new INDArray[in.length];
            grads[0] = newInputGradient(ws, dy.shape());
            Nd4j.exec(DynamicCustomOp.builder("relu_bp").addInputs(lastOutput, dy).addOutputs(grads[0])
                    .addFloatingPointArguments(0.0).build());
            for (int i = 1; i < in.length; i++) {
                grads[i] = newInputGradient(ws, dy.shape()).assign(grads[0]);
            }
            return grads;
        }
    }
}
