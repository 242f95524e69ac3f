package io.segnet.core.loss;

import io.segnet.core.layers.SegnetLayer;
import io.segnet.core.layers.SegnetLayerRuntime;
import io.segnet.core.engine.kernels.Buf;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import io.segnet.core.runtime.GradientBuffers;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.List;

/**
 * Runtime base of output layers whose output is their input (the head's logits) and whose loss is computed by
 * {@link #loss}. Handles DL4J's conventions: the gradient handed back is {@code N * dLoss/dInput} (DL4J's updater
 * divides by the minibatch size), and the loss computed during the backward pass is reused for the score.
 *
 * @param <C> the layer's configuration class
 */
public abstract class OutputLayerRuntime<C extends SegnetLayer> extends SegnetLayerRuntime<C> implements IOutputLayer {
    private INDArray labels;
    private INDArray cachedFor;
    private INDArray cachedLabels;
    private double cachedLoss;

    protected OutputLayerRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /**
     * The loss for logits {@code z} and labels {@code y} (both contiguous); if {@code grad} is non-null, writes
     * {@code scale * dLoss/dz} into every element of it.
     */
    protected abstract double loss(INDArray z, INDArray y, INDArray grad, double scale);

    @Override
    protected INDArray forward(INDArray x, boolean training, LayerWorkspaceMgr ws) {
        return ws.leverageTo(ArrayType.ACTIVATIONS, input);
    }

    @Override
    protected INDArray backward(INDArray x, INDArray dy, LayerWorkspaceMgr ws) {
        throw new IllegalStateException(layerConf().describe() + " is an output layer: it takes labels, not an output"
                + " gradient");
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (needsLabels() && labels == null) {
            throw new IllegalStateException(layerConf().describe() + ": no labels set for the backward pass");
        }
        INDArray z = Buf.contiguous(input);
        INDArray dz = GradientBuffers.take(z.dataType(), z.shape());
        cachedLoss = loss(z, labels == null ? null : Buf.contiguous(labels), dz, z.size(0));
        cachedFor = input;
        cachedLabels = labels;
        return new Pair<>(new DefaultGradient(), dz);
    }

    @Override
    public double computeScore(double fullNetRegScore, boolean training, LayerWorkspaceMgr workspaceMgr) {
        double l = cachedFor == input && cachedLabels == labels ? cachedLoss
                : loss(Buf.contiguous(input), labels == null ? null : Buf.contiguous(labels), null, 1.0);
        score = l + fullNetRegScore;
        return score;
    }

    @Override
    public INDArray computeScoreForExamples(double fullNetRegScore, LayerWorkspaceMgr workspaceMgr) {
        long n = input.size(0);
        INDArray out = workspaceMgr.create(ArrayType.ACTIVATIONS, input.dataType(), n, 1);
        for (long i = 0; i < n; i++) {
            INDArray zi = input.get(NDArrayIndex.interval(i, i + 1)).dup('c');
            INDArray yi = labels == null ? null : labels.get(NDArrayIndex.interval(i, i + 1)).dup('c');
            out.putScalar(i, 0, loss(zi, yi, null, 1.0) + fullNetRegScore);
        }
        return out;
    }

    @Override
    public boolean needsLabels() {
        return true;
    }

    @Override
    public void setLabels(INDArray labels) {
        this.labels = labels;
    }

    @Override
    public INDArray getLabels() {
        return labels;
    }

    private UnsupportedOperationException notForSegmentation(String what) {
        return new UnsupportedOperationException(layerConf().describe() + ": " + what + " is not defined for"
                + " per-pixel segmentation; use segnet-metrics' ConfusionMatrix");
    }

    @Override
    public double f1Score(DataSet data) { throw notForSegmentation("f1Score"); }
    @Override
    public double f1Score(INDArray examples, INDArray labels) { throw notForSegmentation("f1Score"); }
    @Override
    public int numLabels() { return (int) input.size(1); }
    @Override
    public void fit(DataSetIterator iter) { throw notForSegmentation("fitting a single layer"); }
    @Override
    public int[] predict(INDArray examples) { throw notForSegmentation("per-example class prediction"); }
    @Override
    public List<String> predict(DataSet dataSet) { throw notForSegmentation("per-example class prediction"); }
    @Override
    public void fit(INDArray examples, INDArray labels) { throw notForSegmentation("fitting a single layer"); }
    @Override
    public void fit(DataSet data) { throw notForSegmentation("fitting a single layer"); }
    @Override
    public void fit(INDArray examples, int[] labels) { throw notForSegmentation("fitting a single layer"); }
}
