package io.segnet.core.layers;

import io.segnet.core.engine.kernels.Buf;
import io.segnet.core.engine.nd4j.Nd4jElementwise;
import io.segnet.core.runtime.ActivationLiveness;
import io.segnet.core.runtime.GradientBuffers;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.LinkedHashMap;

/**
 * Runtime base of segnet layers: validates the input, hands contiguous NCHW arrays to the subclass, applies the
 * fused activation and routes gradients into the layer's gradient views (slices of the graph's flat gradient).
 *
 * @param <C> the layer's configuration class
 */
public abstract class SegnetLayerRuntime<C extends SegnetLayer> extends org.deeplearning4j.nn.layers.BaseLayer<C>
        implements ActivationLiveness.Reporter {

    private INDArray lastOutput;

    protected SegnetLayerRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        params = new LinkedHashMap<>();
        gradientViews = new LinkedHashMap<>();
    }

    /**
     * Computes the output for a contiguous, validated input: before the fused activation, unless
     * {@link #forwardAppliesActivation()}.
     */
    protected abstract INDArray forward(INDArray x, boolean training, LayerWorkspaceMgr ws);

    /**
     * Given the gradient w.r.t. the output (before the fused activation), writes parameter gradients into
     * {@link #grad(String)} views and returns the gradient w.r.t. the input.
     */
    protected abstract INDArray backward(INDArray x, INDArray dy, LayerWorkspaceMgr ws);

    /** Validates the input beyond rank and channel count (checked before): sizes, for instance. Default: nothing. */
    protected void validateInput(INDArray x) {
    }

    /** Throws naming this layer unless the input has {@code expected} channels. */
    protected void requireChannels(INDArray x, long expected) {
        validateRank(x);
        if (x.size(1) != expected) {
            throw new IllegalArgumentException(layerConf().describe() + ": expected " + expected + " input channels"
                    + " (input [N, " + expected + ", H, W]), got shape " + Arrays.toString(x.shape())
                    + (x.size(3) == expected ? " - this looks like NHWC data; segnet layers take NCHW" : ""));
        }
    }

    private void validateRank(INDArray x) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException(layerConf().describe() + ": expected a rank-4 NCHW input [N, C, H, W],"
                    + " got shape " + Arrays.toString(x.shape()));
        }
    }

    /** The activation fused into this layer's output; IDENTITY unless the config says otherwise. */
    protected FusedActivation fusedActivation() {
        return FusedActivation.IDENTITY;
    }

    /**
     * True if {@link #forward} returns the output with {@link #fusedActivation()} already applied (an engine that
     * computes it with the layer); false (the default) if this class applies it in place afterwards.
     */
    protected boolean forwardAppliesActivation() {
        return false;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray x = Buf.contiguous(input);
        validateRank(x);
        if (layerConf().expectedChannels() > 0) {
            requireChannels(x, layerConf().expectedChannels());
        }
        validateInput(x);
        INDArray out = forward(x, training, workspaceMgr);
        if (fusedActivation() == FusedActivation.RELU && !forwardAppliesActivation()) {
            Nd4jElementwise.reluInPlace(out);
        }
        lastOutput = out;
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray dy = Buf.contiguous(epsilon);
        INDArray masked = null;
        if (fusedActivation() == FusedActivation.RELU) {
            if (lastOutput == null || !Arrays.equals(lastOutput.shape(), dy.shape())) {
                throw new IllegalStateException(layerConf().describe() + ": backward pass without a matching forward"
                        + " pass (output gradient " + Arrays.toString(dy.shape()) + ")");
            }
            masked = GradientBuffers.take(dy.dataType(), dy.shape());
            Nd4j.exec(DynamicCustomOp.builder("relu_bp").addInputs(lastOutput, dy).addOutputs(masked)
                    .addFloatingPointArguments(0.0).build());
            dy = masked;
        }
        INDArray dx = backward(Buf.contiguous(input), dy, workspaceMgr);
        Gradient g = new DefaultGradient();
        for (ParamSpec s : layerConf().paramSpecs()) {
            g.gradientForVariable().put(s.name(), gradientViews.get(s.name()));
        }
        weightNoiseParams.clear();
        INDArray result = backpropDropOutIfPresent(dx);
        // This layer's output gradient is read: its buffers can serve the next layer's input gradient.
        GradientBuffers.giveBack(masked, dx, result);
        GradientBuffers.giveBack(epsilon, dx, result);
        // Nothing reads this layer's output any more in this step (its consumers ran their backward passes before).
        ActivationLiveness.backwardFinished(this, lastOutput, new INDArray[]{input}, new INDArray[]{result});
        return new Pair<>(g, result);
    }

    /** A new output array in the activations workspace, not initialised. */
    protected INDArray newOutput(LayerWorkspaceMgr ws, long... shape) {
        return ws.createUninitialized(ArrayType.ACTIVATIONS, dataType, shape, 'c');
    }

    /**
     * A new input-gradient array, not initialised, from {@link GradientBuffers} (reused buffers outside DL4J's
     * workspaces, given back by the layer that reads it).
     */
    protected INDArray newInputGradient(LayerWorkspaceMgr ws, long... shape) {
        return GradientBuffers.take(dataType, shape);
    }

    /**
     * A layer-owned scratch array outside any workspace, reused while its shape stays the same (for intermediates the
     * backward pass needs, such as a separable convolution's depthwise output).
     */
    protected INDArray scratch(INDArray current, long... shape) {
        if (current != null && current.dataType() == dataType && Arrays.equals(current.shape(), shape)) {
            return current;
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return Nd4j.createUninitialized(dataType, shape, 'c');
        }
    }

    /** The parameter array {@code name}. */
    protected INDArray param(String name) {
        return params.get(name);
    }

    /** The gradient view of parameter {@code name}, to be overwritten by {@link #backward}. */
    protected INDArray grad(String name) {
        return gradientViews.get(name);
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void clearNoiseWeightParams() {
        weightNoiseParams.clear();
    }

    @Override
    public Type type() {
        return Type.CONVOLUTIONAL;
    }

    @Override
    public void clear() {
        super.clear();
        lastOutput = null;
    }
}
