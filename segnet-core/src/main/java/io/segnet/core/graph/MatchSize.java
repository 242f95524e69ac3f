package io.segnet.core.graph;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Crops and/or zero-pads its first input {@code x [N, C, H, W]} to the spatial size of its second input
 * {@code reference [N, *, Hr, Wr]}: output {@code [N, C, Hr, Wr]}. The reference receives a zero gradient.
 *
 * <p>Placement: centred by default (the difference split as {@code floor(d/2)} before, the rest after, as U-Net
 * implementations pad), or at a fixed offset of x's top-left corner inside the output (negative: crop x; FCN's Caffe
 * crop layers use offsets 19, 9 and 5... as crops, i.e. negative offsets here).
 */
public class MatchSize extends SegnetVertex {
    private boolean centered = true;
    private int offsetH;
    private int offsetW;

    /** Centred placement. */
    public MatchSize() {
    }

    /** x's top-left corner lands at {@code (offsetH, offsetW)} of the output (negative: x is cropped by that much). */
    public static MatchSize atOffset(int offsetH, int offsetW) {
        MatchSize m = new MatchSize();
        m.centered = false;
        m.offsetH = offsetH;
        m.offsetW = offsetW;
        return m;
    }

    /** Whether x is centred in the output; otherwise it is placed at {@link #getOffsetH()}, {@link #getOffsetW()}. */
    public boolean isCentered() {
        return centered;
    }

    /** Row of the output where x's top row lands (negative: x is cropped), when not {@link #isCentered()}. */
    public int getOffsetH() {
        return offsetH;
    }

    /** Column of the output where x's left column lands (negative: x is cropped), when not centred. */
    public int getOffsetW() {
        return offsetW;
    }

    @Override
    public int minVertexInputs() {
        return 2;
    }

    @Override
    public int maxVertexInputs() {
        return 2;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
        InputType.InputTypeConvolutional[] in = convolutional(vertexInputs);
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
        return "MatchSize(centered=" + centered + ", offset=" + offsetH + "," + offsetW + ")";
    }

    /** Runtime of {@link MatchSize}. */
    public static final class Runtime extends SegnetVertexRuntime {
        private final MatchSize conf;

        Runtime(ComputationGraph graph, String name, int idx, DataType dataType, MatchSize conf) {
            super(graph, name, idx, dataType);
            this.conf = conf;
        }

        private long offset(long in, long out, int axis) {
            return conf.centered ? Math.floorDiv(out - in, 2) : (axis == 0 ? conf.offsetH : conf.offsetW);
        }

        /** Index ranges of the overlap, in x's coordinates (src) and the output's (dst). */
        private INDArrayIndex[][] overlap(long[] xShape, long oh, long ow) {
            long oy = offset(xShape[2], oh, 0), ox = offset(xShape[3], ow, 1);
            long y0 = Math.max(0, oy), y1 = Math.min(oh, oy + xShape[2]);
            long x0 = Math.max(0, ox), x1 = Math.min(ow, ox + xShape[3]);
            if (y1 <= y0 || x1 <= x0) {
                throw new IllegalArgumentException(this + ": x " + xShape[2] + "x" + xShape[3] + " placed at offset ("
                        + oy + ", " + ox + ") does not overlap the " + oh + "x" + ow + " reference");
            }
            INDArrayIndex all = NDArrayIndex.all();
            return new INDArrayIndex[][]{
                    {all, all, NDArrayIndex.interval(y0 - oy, y1 - oy), NDArrayIndex.interval(x0 - ox, x1 - ox)},
                    {all, all, NDArrayIndex.interval(y0, y1), NDArrayIndex.interval(x0, x1)}};
        }

        @Override
        protected INDArray forward(INDArray[] in, LayerWorkspaceMgr ws) {
            INDArray x = in[0];
            long oh = in[1].size(2), ow = in[1].size(3);
            if (x.size(0) != in[1].size(0)) {
                throw new IllegalArgumentException(this + ": batch sizes differ, x " + x.size(0) + " vs reference "
                        + in[1].size(0));
            }
            INDArray out = newOutput(ws, x.size(0), x.size(1), oh, ow);
            if (oh == x.size(2) && ow == x.size(3) && offset(x.size(2), oh, 0) == 0 && offset(x.size(3), ow, 1) == 0) {
                return out.assign(x);
            }
            INDArrayIndex[][] idx = overlap(x.shape(), oh, ow);
            out.assign(0.0);
            out.get(idx[1]).assign(x.get(idx[0]));
            return out;
        }

        @Override
        protected INDArray[] backward(INDArray[] in, INDArray dy, LayerWorkspaceMgr ws) {
            INDArray x = in[0];
            INDArray dx = newInputGradient(ws, x.shape());
            INDArrayIndex[][] idx = overlap(x.shape(), dy.size(2), dy.size(3));
            dx.assign(0.0);
            dx.get(idx[0]).assign(dy.get(idx[1]));
            return new INDArray[]{dx, zeroGradient(ws, in[1].shape())};
        }
    }
}
