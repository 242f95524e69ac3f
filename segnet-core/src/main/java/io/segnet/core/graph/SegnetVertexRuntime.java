package io.segnet.core.graph;

import io.segnet.core.engine.kernels.Buf;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import io.segnet.core.runtime.ActivationLiveness;
import io.segnet.core.runtime.GradientBuffers;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * Runtime base of segnet's vertices: contiguous NCHW inputs in, arrays allocated in the graph's workspaces.
 *
 * <p>Inputs that only provide a size (the reference of a resize or crop) receive an all-zero gradient rather than
 * null: DL4J's graph mishandles null gradients from a vertex whose input also feeds other vertices.
 */
public abstract class SegnetVertexRuntime extends BaseGraphVertex implements ActivationLiveness.Reporter {
    /** The output of the last training forward pass (reported dead after the backward pass). */
    private INDArray lastOutput;

    protected SegnetVertexRuntime(ComputationGraph graph, String name, int vertexIndex, DataType dataType) {
        super(graph, name, vertexIndex, null, null, dataType);
    }

    /** Forward pass on contiguous inputs. */
    protected abstract INDArray forward(INDArray[] in, LayerWorkspaceMgr ws);

    /** Gradients w.r.t. each input, given the gradient w.r.t. the output. */
    protected abstract INDArray[] backward(INDArray[] in, INDArray dy, LayerWorkspaceMgr ws);

    @Override
    public boolean hasLayer() {
        return false;
    }

    @Override
    public Layer getLayer() {
        return null;
    }

    private INDArray[] contiguousInputs() {
        INDArray[] in = new INDArray[inputs.length];
        for (int i = 0; i < in.length; i++) {
            if (inputs[i].rank() != 4) {
                throw new IllegalArgumentException(this + ": input " + i + " must be rank-4 NCHW, got shape "
                        + Arrays.toString(inputs[i].shape()));
            }
            in[i] = Buf.contiguous(inputs[i]);
        }
        return in;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoForward()) {
            throw new IllegalStateException(this + ": inputs not set");
        }
        INDArray out = forward(contiguousInputs(), workspaceMgr);
        lastOutput = training ? out : null;
        return out;
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoBackward()) {
            throw new IllegalStateException(this + ": output gradient not set");
        }
        INDArray[] grads = backward(contiguousInputs(), Buf.contiguous(epsilon), workspaceMgr);
        // This vertex's output gradient is read: its buffer can serve the next input gradient.
        GradientBuffers.giveBack(epsilon, grads);
        // Nothing reads this vertex's output any more in this step (its consumers ran their backward passes before).
        ActivationLiveness.backwardFinished(this, lastOutput, inputs, grads);
        return new Pair<>(null, grads);
    }

    /** A new output array in the activations workspace, not initialised. */
    protected INDArray newOutput(LayerWorkspaceMgr ws, long... shape) {
        return ws.createUninitialized(ArrayType.ACTIVATIONS, dataType, shape, 'c');
    }

    /** A new input-gradient array, not initialised. */
    protected INDArray newInputGradient(LayerWorkspaceMgr ws, long... shape) {
        return GradientBuffers.take(dataType, shape);
    }

    /** An all-zero gradient for an input that only provides a size. */
    protected INDArray zeroGradient(LayerWorkspaceMgr ws, long... shape) {
        return GradientBuffers.take(dataType, shape).assign(0);
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
        if (backpropGradientsViewArray != null) {
            throw new IllegalStateException(this + " has no parameters");
        }
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                                                           int minibatchSize) {
        if (maskArrays == null || maskArrays.length == 0) {
            return null;
        }
        return new Pair<>(maskArrays[0], currentMaskState);
    }

    @Override
    public String toString() {
        return getClass().getEnclosingClass().getSimpleName() + " '" + vertexName + "'";
    }
}
