package io.segnet.core.graph;

import io.segnet.core.runtime.GradientBuffers;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Concatenation along the channel axis, {@code [N, C_i, H, W] -> [N, sum C_i, H, W]} (U-Net's skip merges,
 * DeepLabv3+'s and PSPNet's feature merges): DL4J's {@code MergeVertex}, whose configuration, forward pass and
 * serialised form it keeps (every {@code instanceof MergeVertex} still holds, for the ONNX export and inference too),
 * with a backward pass whose input gradients come from {@link GradientBuffers}.
 *
 * <p>Why: DL4J's backward pass puts each input's gradient in its per-vertex gradient workspace, which sizes itself only
 * after as many steps as the graph has vertices and allocates outside until then; in a U-Net these are the skip
 * gradients, live from the decoder's backward pass to the encoder's (the largest is a full-resolution 64-channel
 * map). From {@link GradientBuffers} they take the memory of activations the backward pass has finished with.
 */
public class Concat extends MergeVertex {

    /** Concatenation along the channel axis (1). */
    public Concat() {
    }

    @Override
    public Concat clone() {
        Concat c = new Concat();
        c.setMergeAxis(getMergeAxis());
        c.setModified(isModified());
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Concat c && c.getMergeAxis() == getMergeAxis();
    }

    @Override
    public int hashCode() {
        return 31 * Concat.class.hashCode() + getMergeAxis();
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
                                                                      INDArray paramsView, boolean initializeParams,
                                                                      DataType networkDatatype) {
        return new Runtime(graph, name, idx, networkDatatype, getMergeAxis());
    }

    @Override
    public String toString() {
        return "Concat(mergeAxis=" + getMergeAxis() + ")";
    }

    /** Runtime of {@link Concat}: DL4J's forward pass; input gradients from {@link GradientBuffers}. */
    public static final class Runtime extends org.deeplearning4j.nn.graph.vertex.impl.MergeVertex {
        private final int axis;
        private long[][] inputShapes;

        Runtime(ComputationGraph graph, String name, int idx, DataType dataType, int axis) {
            super(graph, name, idx, dataType, axis);
            this.axis = axis;
        }

        @Override
        public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
            INDArray[] in = getInputs();
            inputShapes = null;
            if (in != null && in.length > 1) {
                inputShapes = new long[in.length][];
                for (int i = 0; i < in.length; i++) {
                    inputShapes[i] = in[i].shape();
                }
            }
            return super.doForward(training, workspaceMgr);
        }

        @Override
        public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
            INDArray dy = getEpsilon();
            long[][] shapes = inputShapes;
            if (shapes == null || dy == null || dy.dataType() != DataType.FLOAT || axis < 0 || axis >= dy.rank()
                    || dy.size(axis) != total(shapes)) {
                return super.doBackward(tbptt, workspaceMgr);
            }
            INDArray[] grads = new INDArray[shapes.length];
            long start = 0;
            for (int i = 0; i < shapes.length; i++) {
                long size = shapes[i][axis];
                INDArrayIndex[] at = new INDArrayIndex[dy.rank()];
                for (int d = 0; d < at.length; d++) {
                    at[d] = d == axis ? NDArrayIndex.interval(start, start + size) : NDArrayIndex.all();
                }
                grads[i] = GradientBuffers.take(DataType.FLOAT, shapes[i]).assign(dy.get(at));
                start += size;
            }
            // This vertex's output gradient is read: its buffer can serve the next input gradient.
            GradientBuffers.giveBack(dy, grads);
            return new Pair<>(null, grads);
        }

        private long total(long[][] shapes) {
            long sum = 0;
            for (long[] s : shapes) {
                if (s.length <= axis) {
                    return -1;
                }
                sum += s[axis];
            }
            return sum;
        }
    }
}
