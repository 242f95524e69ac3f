package io.segnet.core.graph;

import io.segnet.core.engine.kernels.ResizeOps;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Bilinear resize, PyTorch's {@code F.interpolate(mode="bilinear", align_corners=...)}, with exact gradients.
 *
 * <p>One input: resized by {@link #getScale() scale} ({@code Ho = floor(H * scale)}, source coordinates mapped with
 * {@code 1 / scale} as PyTorch does for a scale factor). Two inputs {@code (x, reference)}: x is resized to the
 * reference's spatial size (the reference receives a zero gradient). {@code [N, C, H, W] -> [N, C, Ho, Wo]}.
 * A 1x1 input broadcasts to the whole output (ASPP's image pooling). Default: {@code align_corners = false}.
 */
public class BilinearResize extends SegnetVertex {
    private double scale = Double.NaN;
    private boolean alignCorners = false;

    /** Resize to the size of the second input, {@code align_corners = false}. */
    public BilinearResize() {
    }

    /** Resize to the size of the second input. */
    public static BilinearResize toReference(boolean alignCorners) {
        BilinearResize r = new BilinearResize();
        r.alignCorners = alignCorners;
        return r;
    }

    /** Resize a single input by {@code scale}. */
    public static BilinearResize byScale(double scale, boolean alignCorners) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("BilinearResize: scale must be a positive finite number, got " + scale);
        }
        BilinearResize r = new BilinearResize();
        r.scale = scale;
        r.alignCorners = alignCorners;
        return r;
    }

    public double getScale() { return scale; }
    public boolean isAlignCorners() { return alignCorners; }

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
        return "BilinearResize(scale=" + scale + ", alignCorners=" + alignCorners + ")";
    }

    /** Runtime of {@link BilinearResize}. */
    public static final class Runtime extends SegnetVertexRuntime {
        private final BilinearResize conf;
        private ResizeOps.Taps th;
        private ResizeOps.Taps tw;

        Runtime(ComputationGraph graph, String name, int idx, DataType dataType, BilinearResize conf) {
            super(graph, name, idx, dataType);
            this.conf = conf;
        }

        private ResizeOps.Taps taps(ResizeOps.Taps cached, int in, int out) {
            if (cached != null && cached.in() == in && cached.out() == out) {
                return cached;
            }
            return ResizeOps.Taps.of(in, out, conf.alignCorners, conf.byScale() ? 1.0 / conf.scale : Double.NaN);
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
