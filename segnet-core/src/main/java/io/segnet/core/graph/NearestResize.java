package io.segnet.core.graph;

import io.segnet.core.engine.kernels.ResizeOps;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Nearest-neighbour resize, PyTorch's {@code F.interpolate(mode="nearest")} (segmentation_models_pytorch's U-Net and
 * UNet++ decoders upsample with it), with exact gradients (each output pixel's gradient goes to the one input pixel
 * it copies).
 *
 * <p>One input: resized by {@link #getScale() scale} ({@code Ho = floor(H * scale)}, source index
 * {@code floor(o / scale)}). Two inputs {@code (x, reference)}: x is resized to the reference's spatial size (source
 * index {@code floor(o * H / Ho)}; the reference receives a zero gradient). A doubling repeats every pixel 2x2 either
 * way. {@code [N, C, H, W] -> [N, C, Ho, Wo]}.
 */
public class NearestResize extends SegnetVertex {
    private double scale = Double.NaN;

    /** Resize to the size of the second input. */
    public NearestResize() {
    }

    /** Resize to the size of the second input. */
    public static NearestResize toReference() {
        return new NearestResize();
    }

    /** Resize a single input by {@code scale}. */
    public static NearestResize byScale(double scale) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("NearestResize: scale must be a positive finite number, got " + scale);
        }
        NearestResize r = new NearestResize();
        r.scale = scale;
        return r;
    }

    public double getScale() { return scale; }

    private boolean byScale() {
        return !Double.isNaN(scale);
    }

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

    @Override
    public String toString() {
        return "NearestResize(scale=" + scale + ")";
    }

    /** Runtime of {@link NearestResize}. */
    public static final class Runtime extends SegnetVertexRuntime {
        private final NearestResize conf;
        private ResizeOps.Taps th;
        private ResizeOps.Taps tw;

        Runtime(ComputationGraph graph, String name, int idx, DataType dataType, NearestResize conf) {
            super(graph, name, idx, dataType);
            this.conf = conf;
        }

        private ResizeOps.Taps taps(ResizeOps.Taps cached, int in, int out) {
            if (cached != null && cached.in() == in && cached.out() == out) {
                return cached;
            }
            return ResizeOps.Taps.nearest(in, out, conf.byScale() ? 1.0 / conf.scale : Double.NaN);
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
