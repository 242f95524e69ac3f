package io.segnet.core.graph;

import io.segnet.core.layers.MaxPool2D;
import io.segnet.core.engine.kernels.PoolingOps;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * Max unpooling through the argmax positions a {@link MaxPool2D} layer recorded, PyTorch's {@code F.max_unpool2d}
 * with {@code output_size} = the pooling layer's input size (SegNet's decoder).
 *
 * <p>Input {@code [N, C, Ho, Wo]} (the shape the named pooling layer produced), output {@code [N, C, H, W]} (the shape
 * that layer received): each value goes to the position its window's maximum came from, everything else is 0.
 * The pooling layer must run before this vertex in the same pass (it does whenever this vertex's input depends on the
 * pooling layer's output, as in SegNet).
 */
public class MaxUnpool extends SegnetVertex {
    private String poolingLayer;
    /** The pooling layer's input size at the size the graph is built for, or 0 if not given (then assumed 2x). */
    private long outputHeight;
    private long outputWidth;

    /** For JSON. */
    public MaxUnpool() {
    }

    /** Unpools through the indices of the {@link MaxPool2D} layer named {@code poolingLayer}. */
    public MaxUnpool(String poolingLayer) {
        this.poolingLayer = poolingLayer;
    }

    /**
     * As {@link #MaxUnpool(String)}, told the size {@code outputHeight x outputWidth} that the pooling layer receives
     * at the graph's build size, for shape inference (summaries, FLOPs). Without it the output is assumed to be twice
     * the input, which is one row or column short after pooling an odd size. At run time the size always comes from
     * the pooling layer's actual input.
     */
    public MaxUnpool(String poolingLayer, long outputHeight, long outputWidth) {
        if (outputHeight < 1 || outputWidth < 1) {
            throw new IllegalArgumentException("MaxUnpool(" + poolingLayer + "): output size must be positive, got "
                    + outputHeight + "x" + outputWidth);
        }
        this.poolingLayer = poolingLayer;
        this.outputHeight = outputHeight;
        this.outputWidth = outputWidth;
    }

    public String getPoolingLayer() {
        return poolingLayer;
    }

    @Override
    public int minVertexInputs() {
        return 1;
    }

    @Override
    public int maxVertexInputs() {
        return 1;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
        InputType.InputTypeConvolutional in = convolutional(vertexInputs)[0];
        // The exact size comes from the pooling layer's input at run time; for shape inference use the size given at
        // construction, else assume the usual non-overlapping pooling that halves the size.
        if (outputHeight > 0) {
            return InputType.convolutional(outputHeight, outputWidth, in.getChannels());
        }
        return InputType.convolutional(in.getHeight() * 2, in.getWidth() * 2, in.getChannels());
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
                                                                      INDArray paramsView, boolean initializeParams,
                                                                      DataType networkDatatype) {
        return new Runtime(graph, name, idx, networkDatatype, this);
    }

    @Override
    public String toString() {
        return "MaxUnpool(poolingLayer=" + poolingLayer + (outputHeight > 0 ? ", output " + outputHeight + "x"
                + outputWidth : "") + ")";
    }

    /** Runtime of {@link MaxUnpool}. */
    public static final class Runtime extends SegnetVertexRuntime {
        private final MaxUnpool conf;

        Runtime(ComputationGraph graph, String name, int idx, DataType dataType, MaxUnpool conf) {
            super(graph, name, idx, dataType);
            this.conf = conf;
        }

        private MaxPool2D.Runtime pool(INDArray y) {
            Layer l = graph.getLayer(conf.poolingLayer);
            if (!(l instanceof MaxPool2D.Runtime p)) {
                throw new IllegalStateException(this + ": '" + conf.poolingLayer + "' is "
                        + (l == null ? "not a layer of this graph" : "a " + l.getClass().getSimpleName())
                        + "; it must name a MaxPool2D layer");
            }
            if (p.outputShape() == null || !Arrays.equals(p.outputShape(), y.shape())) {
                throw new IllegalArgumentException(this + ": input shape " + Arrays.toString(y.shape())
                        + " does not match the last output of pooling layer '" + conf.poolingLayer + "' ("
                        + (p.outputShape() == null ? "it has not run" : Arrays.toString(p.outputShape()))
                        + "); unpool the features at that layer's resolution");
            }
            return p;
        }

        @Override
        protected INDArray forward(INDArray[] in, LayerWorkspaceMgr ws) {
            MaxPool2D.Runtime p = pool(in[0]);
            long[] s = p.inputShape();
            INDArray out = newOutput(ws, s[0], in[0].size(1), s[2], s[3]);
            PoolingOps.maxUnpoolForward(in[0], p.argmax(), out);
            return out;
        }

        @Override
        protected INDArray[] backward(INDArray[] in, INDArray dy, LayerWorkspaceMgr ws) {
            MaxPool2D.Runtime p = pool(in[0]);
            INDArray dx = newInputGradient(ws, in[0].shape());
            PoolingOps.maxUnpoolBackward(dy, p.argmax(), dx);
            return new INDArray[]{dx};
        }
    }
}
