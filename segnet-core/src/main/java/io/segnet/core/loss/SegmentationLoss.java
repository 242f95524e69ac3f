package io.segnet.core.loss;

import io.segnet.core.layers.ParamSpec;
import io.segnet.core.layers.SegnetLayer;
import io.segnet.core.layers.SegnetLayerRuntime;
import io.segnet.core.ops.Buf;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;

/**
 * Loss output layer for segmentation: takes the head's logits {@code [N, C, H, W]} and an integer label map
 * {@code [N, 1, H, W]} (never one-hot), and owns the softmax. Its output is the logits themselves.
 *
 * <p>{@code loss = outputWeight * (crossEntropyWeight * CE + diceWeight * Dice + bceWeight * BCE)}, each term as
 * {@link LossOps} defines it (PyTorch / segmentation_models_pytorch semantics), with an ignore value (255 by
 * default) and optional class weights for the cross-entropy. Give auxiliary or deep-supervision outputs their own
 * {@code SegmentationLoss} with {@link #outputWeight(double)} (PSPNet's auxiliary head: 0.4); the graph sums the
 * outputs' losses. Defaults: cross-entropy only, ignore 255, no class weights, output weight 1.
 */
public class SegmentationLoss extends SegnetLayer {
    private long numClasses;
    private double crossEntropyWeight = 1.0;
    private double diceWeight = 0.0;
    private double bceWeight = 0.0;
    private int ignoreIndex = 255;
    private double[] classWeights;
    private double outputWeight = 1.0;

    /** For JSON; cross-entropy by default. */
    public SegmentationLoss() {
    }

    /** Softmax cross-entropy, ignore 255. */
    public static SegmentationLoss crossEntropy() {
        return new SegmentationLoss();
    }

    /** Soft multi-class Dice loss alone. */
    public static SegmentationLoss dice() {
        return new SegmentationLoss().terms(0, 1, 0);
    }

    /** Binary cross-entropy on a one-channel output (labels 0/1). */
    public static SegmentationLoss binaryCrossEntropy() {
        return new SegmentationLoss().terms(0, 0, 1);
    }

    /** Weights of the three terms. */
    public SegmentationLoss terms(double crossEntropy, double dice, double bce) {
        crossEntropyWeight = crossEntropy;
        diceWeight = dice;
        bceWeight = bce;
        return this;
    }

    public SegmentationLoss ignoreIndex(int v) { ignoreIndex = v; return this; }
    public SegmentationLoss classWeights(double... w) { classWeights = w == null ? null : w.clone(); return this; }
    public SegmentationLoss outputWeight(double w) { outputWeight = w; return this; }
    public SegmentationLoss numClasses(long c) { numClasses = c; return this; }
    public SegmentationLoss name(String name) { setLayerName(name); return this; }

    public double getOutputWeight() { return outputWeight; }
    public int getIgnoreIndex() { return ignoreIndex; }
    public long getNumClasses() { return numClasses; }
    public double[] getClassWeights() { return classWeights == null ? null : classWeights.clone(); }

    private void validate() {
        require(crossEntropyWeight >= 0 && diceWeight >= 0 && bceWeight >= 0
                && crossEntropyWeight + diceWeight + bceWeight > 0, "term weights must be >= 0 and not all 0, got CE "
                + crossEntropyWeight + ", Dice " + diceWeight + ", BCE " + bceWeight);
        require(outputWeight > 0, "outputWeight must be positive, got " + outputWeight);
        require(bceWeight == 0 || numClasses <= 1, "binary cross-entropy needs a one-channel output, this one has "
                + numClasses + " channels; use cross-entropy for multi-class outputs");
        require(bceWeight > 0 || numClasses != 1, "a one-channel output needs the binary cross-entropy term"
                + " (SegmentationLoss.binaryCrossEntropy()); softmax over one channel is constant");
        require(classWeights == null || numClasses == 0 || classWeights.length == numClasses,
                "classWeights has " + (classWeights == null ? 0 : classWeights.length) + " entries, the output has "
                        + numClasses + " classes");
    }

    @Override
    public List<ParamSpec> paramSpecs() {
        return List.of();
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (inputType instanceof InputType.InputTypeConvolutional c && (numClasses <= 0 || override)) {
            numClasses = c.getChannels();
        }
    }

    @Override
    protected InputType outputType(InputType.InputTypeConvolutional in) {
        require(numClasses <= 0 || in.getChannels() == numClasses, "expected " + numClasses + " logit channels, the"
                + " graph gives " + in.getChannels());
        validate();
        return in;
    }

    @Override
    protected org.deeplearning4j.nn.api.Layer createRuntime(NeuralNetConfiguration conf, DataType dataType) {
        return new Runtime(conf, dataType);
    }

    /** Runtime of {@link SegmentationLoss}. */
    public static final class Runtime extends SegnetLayerRuntime<SegmentationLoss> implements IOutputLayer {
        private INDArray labels;
        private INDArray cachedFor;
        private INDArray cachedLabels;
        private double cachedLoss;

        public Runtime(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        protected void validateInput(INDArray x) {
            requireChannels(x, layerConf().numClasses);
        }

        @Override
        protected INDArray forward(INDArray x, boolean training, LayerWorkspaceMgr ws) {
            return ws.leverageTo(ArrayType.ACTIVATIONS, input);
        }

        /** Loss and, if {@code grad} is non-null, {@code scale * dLoss/dLogits} into it. */
        private double loss(INDArray z, INDArray y, INDArray grad, double scale) {
            SegmentationLoss c = layerConf();
            int classes = (int) z.size(1);
            LossOps.validateLabels(c.describe(), z, y, classes <= 1 ? 2 : classes, c.ignoreIndex);
            double total = 0;
            INDArray part = grad == null ? null : Nd4j.createUninitialized(z.dataType(), z.shape());
            boolean first = true;
            double[][] terms = {{c.crossEntropyWeight, 0}, {c.diceWeight, 1}, {c.bceWeight, 2}};
            for (double[] t : terms) {
                if (t[0] == 0) {
                    continue;
                }
                INDArray target = grad == null ? null : first ? grad : part;
                double s = scale * t[0] * c.outputWeight;
                double l = switch ((int) t[1]) {
                    case 0 -> LossOps.crossEntropy(z, y, c.classWeights, c.ignoreIndex, target, s);
                    case 1 -> LossOps.dice(z, y, c.ignoreIndex, target, s);
                    default -> LossOps.binaryCrossEntropy(z, y, c.ignoreIndex, target, s);
                };
                if (!first && grad != null) {
                    grad.addi(part);
                }
                first = false;
                total += t[0] * l;
            }
            return c.outputWeight * total;
        }

        @Override
        protected INDArray backward(INDArray x, INDArray dy, LayerWorkspaceMgr ws) {
            throw new IllegalStateException("unreachable");
        }

        @Override
        public org.nd4j.common.primitives.Pair<org.deeplearning4j.nn.gradient.Gradient, INDArray> backpropGradient(
                INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            assertInputSet(true);
            if (labels == null) {
                throw new IllegalStateException(layerConf().describe() + ": no labels set for the backward pass");
            }
            INDArray z = Buf.contiguous(input), y = Buf.contiguous(labels);
            INDArray dz = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, z.dataType(), z.shape(), 'c');
            // DL4J's updater divides gradients by the minibatch size: hand back N * dLoss/dz.
            cachedLoss = loss(z, y, dz, z.size(0));
            cachedFor = input;
            cachedLabels = labels;
            return new org.nd4j.common.primitives.Pair<>(new org.deeplearning4j.nn.gradient.DefaultGradient(), dz);
        }

        @Override
        public double computeScore(double fullNetRegScore, boolean training, LayerWorkspaceMgr workspaceMgr) {
            double l = cachedFor == input && cachedLabels == labels ? cachedLoss
                    : loss(Buf.contiguous(input), Buf.contiguous(labels), null, 1.0);
            score = l + fullNetRegScore;
            return score;
        }

        @Override
        public INDArray computeScoreForExamples(double fullNetRegScore, LayerWorkspaceMgr workspaceMgr) {
            long n = input.size(0);
            INDArray out = workspaceMgr.create(ArrayType.ACTIVATIONS, input.dataType(), n, 1);
            for (long i = 0; i < n; i++) {
                INDArray zi = input.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(i, i + 1)).dup('c');
                INDArray yi = labels.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(i, i + 1)).dup('c');
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
        public int numLabels() { return (int) layerConf().numClasses; }
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

        @Override
        public String toString() {
            return layerConf().describe() + Arrays.toString(new double[]{layerConf().crossEntropyWeight,
                    layerConf().diceWeight, layerConf().bceWeight});
        }
    }
}
