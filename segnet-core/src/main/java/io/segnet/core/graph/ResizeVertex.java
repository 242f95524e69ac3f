package io.segnet.core.graph;

import io.segnet.core.engine.kernels.ResizeOps;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A resize vertex: one input resized by {@link #getScale() scale} ({@code Ho = floor(H * scale)}), or two inputs
 * {@code (x, reference)} with x resized to the reference's spatial size (the reference receives a zero gradient);
 * {@code [N, C, H, W] -> [N, C, Ho, Wo]}. The interpolation is the subclass's choice of {@link ResizeOps.Taps};
 * forward and backward run through {@link ResizeOps}, so gradients are exact.
 */
public abstract class ResizeVertex extends SegnetVertex {
    /** The factor of a one-input resize, NaN for a resize to the reference's size (JSON field {@code scale}). */
    private double scale = Double.NaN;

    /** The factor of a one-input resize, or NaN. */
    public double getScale() {
        return scale;
    }

    /** Sets the factor (the subclasses' {@code byScale} factories), checked positive and finite. */
    protected void setScale(double scale) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": scale must be a positive finite number,"
                    + " got " + scale);
        }
        this.scale = scale;
    }

    /** Whether this resizes one input by {@link #getScale()} rather than to a reference's size. */
    protected boolean byScale() {
        return !Double.isNaN(scale);
    }

    /**
     * The interpolation taps from {@code in} to {@code out} samples along one axis.
     *
     * @param inverseScale {@code 1 / scale} for a one-input resize (PyTorch maps coordinates with it), else NaN
     */
    protected abstract ResizeOps.Taps taps(int in, int out, double inverseScale);

    @Override
    public int minVertexInputs() {
        return byScale() ? 1 : 2;
    }

    @Override
    public int maxVertexInputs() {
        return byScale() ? 1 : 2;
    }

    long scaled(long in) {
        return (long) Math.floor(in * scale);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
        InputType.InputTypeConvolutional[] in = convolutional(vertexInputs);
        if (byScale()) {
            return InputType.convolutional(scaled(in[0].getHeight()), scaled(in[0].getWidth()), in[0].getChannels());
        }
        return InputType.convolutional(in[1].getHeight(), in[1].getWidth(), in[0].getChannels());
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
                                                                      INDArray paramsView, boolean initializeParams,
                                                                      DataType networkDatatype) {
        return new Runtime(graph, name, idx, networkDatatype, this);
    }

    /** Runtime of a {@link ResizeVertex}: the taps are cached per input and output size. */
    public static final class Runtime extends SegnetVertexRuntime {
        private final ResizeVertex conf;
        private ResizeOps.Taps th;
        private ResizeOps.Taps tw;

        Runtime(ComputationGraph graph, String name, int idx, DataType dataType, ResizeVertex conf) {
            super(graph, name, idx, dataType);
            this.conf = conf;
        }

        private ResizeOps.Taps taps(ResizeOps.Taps cached, int in, int out) {
            if (cached != null && cached.in() == in && cached.out() == out) {
                return cached;
            }
            return conf.taps(in, out, conf.byScale() ? 1.0 / conf.scale : Double.NaN);
        }

        @Override
        protected INDArray forward(INDArray[] in, LayerWorkspaceMgr ws) {
            INDArray x = in[0];
            long oh = conf.byScale() ? conf.scaled(x.size(2)) : in[1].size(2);
            long ow = conf.byScale() ? conf.scaled(x.size(3)) : in[1].size(3);
            if (oh < 1 || ow < 1) {
                throw new IllegalArgumentException(this + ": input " + x.size(2) + "x" + x.size(3) + " scaled by "
                        + conf.scale + " is empty");
            }
            th = taps(th, (int) x.size(2), (int) oh);
            tw = taps(tw, (int) x.size(3), (int) ow);
            INDArray out = newOutput(ws, x.size(0), x.size(1), oh, ow);
            ResizeOps.forward(x, out, th, tw);
            return out;
        }

        @Override
        protected INDArray[] backward(INDArray[] in, INDArray dy, LayerWorkspaceMgr ws) {
            INDArray dx = newInputGradient(ws, in[0].shape());
            ResizeOps.backward(dy, dx, th, tw);
            return in.length == 1 ? new INDArray[]{dx} : new INDArray[]{dx, zeroGradient(ws, in[1].shape())};
        }
    }
}
