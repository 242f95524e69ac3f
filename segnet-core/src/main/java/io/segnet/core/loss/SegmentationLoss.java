package io.segnet.core.loss;

import io.segnet.core.layers.ParamSpec;
import io.segnet.core.layers.SegnetLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * Loss output layer for segmentation: takes the head's logits {@code [N, C, H, W]} and an integer label map
 * {@code [N, 1, H, W]} (never one-hot), and owns the softmax. Its output is the logits themselves.
 *
 * <p>{@code loss = outputWeight * (crossEntropyWeight * CE + diceWeight * Dice + bceWeight * BCE + focalWeight * Focal
 * + tverskyWeight * Tversky + lovaszWeight * Lovasz + ohemWeight * OHEM-CE)}, each term as {@link LossOps} and
 * {@link ImbalanceLossOps} define it (PyTorch / segmentation_models_pytorch / mmsegmentation semantics), with an
 * ignore value (255 by default). The class weights apply to the cross-entropy, the OHEM cross-entropy and the
 * Lovasz-softmax (as mmsegmentation defines them; smp defines none for Dice, focal and Tversky); {@link #labelSmoothing(double)} turns the
 * cross-entropy into PyTorch's label-smoothed one. Tversky with alpha = beta = 1 is the soft Jaccard loss. Give auxiliary or deep-supervision outputs their own
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
    private double labelSmoothing = 0.0;
    private double focalWeight = 0.0;
    private double focalGamma = 2.0;
    private double focalAlpha = -1.0;
    private double tverskyWeight = 0.0;
    private double tverskyAlpha = 0.5;
    private double tverskyBeta = 0.5;
    private double lovaszWeight = 0.0;
    private boolean lovaszPerImage = false;
    private double ohemWeight = 0.0;
    private double ohemThresh = 0.7;
    private int ohemMinKept = 100000;

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

    /** Label smoothing of the cross-entropy term in [0, 1) (PyTorch's {@code label_smoothing}); default 0. */
    public SegmentationLoss labelSmoothing(double epsilon) { labelSmoothing = epsilon; return this; }

    /**
     * Adds smp's multi-class focal loss with this weight ({@link ImbalanceLossOps#focal}); {@code alpha < 0} means
     * none (smp's default), smp's default gamma is 2.
     */
    public SegmentationLoss focal(double weight, double gamma, double alpha) {
        focalWeight = weight;
        focalGamma = gamma;
        focalAlpha = alpha;
        return this;
    }

    /** Adds smp's Tversky loss with this weight ({@link ImbalanceLossOps#tversky}); alpha = beta = 1: soft Jaccard. */
    public SegmentationLoss tversky(double weight, double alpha, double beta) {
        tverskyWeight = weight;
        tverskyAlpha = alpha;
        tverskyBeta = beta;
        return this;
    }

    /** Adds the Lovasz-softmax loss with this weight ({@link ImbalanceLossOps#lovaszSoftmax}), per batch or image. */
    public SegmentationLoss lovasz(double weight, boolean perImage) {
        lovaszWeight = weight;
        lovaszPerImage = perImage;
        return this;
    }

    /**
     * Adds mmsegmentation's OHEM cross-entropy with this weight ({@link ImbalanceLossOps#ohemCrossEntropy}):
     * threshold on the true class's probability, pixels kept at least per image.
     */
    public SegmentationLoss ohem(double weight, double thresh, int minKept) {
        ohemWeight = weight;
        ohemThresh = thresh;
        ohemMinKept = minKept;
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
    public double getLabelSmoothing() { return labelSmoothing; }
    public double getFocalWeight() { return focalWeight; }
    public double getFocalGamma() { return focalGamma; }
    public double getFocalAlpha() { return focalAlpha; }
    public double getTverskyWeight() { return tverskyWeight; }
    public double getTverskyAlpha() { return tverskyAlpha; }
    public double getTverskyBeta() { return tverskyBeta; }
    public double getLovaszWeight() { return lovaszWeight; }
    public boolean isLovaszPerImage() { return lovaszPerImage; }
    public double getOhemWeight() { return ohemWeight; }
    public double getOhemThresh() { return ohemThresh; }
    public int getOhemMinKept() { return ohemMinKept; }

    private void validate() {
        require(crossEntropyWeight >= 0 && diceWeight >= 0 && bceWeight >= 0 && focalWeight >= 0 && tverskyWeight >= 0
                && lovaszWeight >= 0 && ohemWeight >= 0 && crossEntropyWeight + diceWeight + bceWeight + focalWeight
                + tverskyWeight + lovaszWeight + ohemWeight > 0,
                "term weights must be >= 0 and not all 0, got CE " + crossEntropyWeight + ", Dice " + diceWeight
                        + ", BCE " + bceWeight + ", focal " + focalWeight + ", Tversky " + tverskyWeight + ", Lovasz "
                        + lovaszWeight + ", OHEM " + ohemWeight);
        require(ohemThresh > 0 && ohemThresh <= 1 && ohemMinKept >= 0, "OHEM thresh must be in (0, 1] and minKept"
                + " >= 0, got " + ohemThresh + ", " + ohemMinKept);
        require(labelSmoothing >= 0 && labelSmoothing < 1, "labelSmoothing must be in [0, 1), got " + labelSmoothing);
        require(focalGamma >= 0 && focalAlpha < 1, "focal gamma must be >= 0 and alpha < 1 (negative: none), got gamma "
                + focalGamma + ", alpha " + focalAlpha);
        require(tverskyAlpha >= 0 && tverskyBeta >= 0 && tverskyAlpha + tverskyBeta > 0,
                "Tversky alpha and beta must be >= 0 and not both 0, got " + tverskyAlpha + ", " + tverskyBeta);
        require(numClasses != 1 || focalWeight + tverskyWeight + lovaszWeight + ohemWeight == 0, "focal, Tversky,"
                + " Lovasz and OHEM terms need a multi-class"
                + " (softmax) output of at least 2 channels, this one has 1");
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
    public long expectedChannels() {
        return Math.max(numClasses, 0);
    }

    @Override
    protected void setExpectedChannels(long channels) {
        numClasses = channels;
    }

    @Override
    protected InputType outputType(InputType.InputTypeConvolutional in) {
        validate();
        return in;
    }

    @Override
    protected org.deeplearning4j.nn.api.Layer createRuntime(NeuralNetConfiguration conf, DataType dataType) {
        return new Runtime(conf, dataType);
    }

    /** Runtime of {@link SegmentationLoss}. */
    public static final class Runtime extends OutputLayerRuntime<SegmentationLoss> {
        public Runtime(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        protected double loss(INDArray z, INDArray y, INDArray grad, double scale) {
            SegmentationLoss c = layerConf();
            int classes = (int) z.size(1);
            LossOps.validateLabels(c.describe(), z, y, classes <= 1 ? 2 : classes, c.ignoreIndex);
            double total = 0;
            INDArray part = null;
            boolean first = true;
            double[][] terms = {{c.crossEntropyWeight, 0}, {c.diceWeight, 1}, {c.bceWeight, 2}, {c.focalWeight, 3},
                    {c.tverskyWeight, 4}, {c.lovaszWeight, 5}, {c.ohemWeight, 6}};
            for (double[] t : terms) {
                if (t[0] == 0) {
                    continue;
                }
                if (grad != null && !first && part == null) {
                    part = Nd4j.createUninitialized(z.dataType(), z.shape());
                }
                INDArray target = grad == null ? null : first ? grad : part;
                double s = scale * t[0] * c.outputWeight;
                double l = switch ((int) t[1]) {
                    case 0 -> c.labelSmoothing == 0
                            ? LossOps.crossEntropy(z, y, c.classWeights, c.ignoreIndex, target, s)
                            : ImbalanceLossOps.labelSmoothedCrossEntropy(z, y, c.classWeights, c.labelSmoothing,
                            c.ignoreIndex, target, s);
                    case 1 -> LossOps.dice(z, y, c.ignoreIndex, target, s);
                    case 2 -> LossOps.binaryCrossEntropy(z, y, c.ignoreIndex, target, s);
                    case 3 -> ImbalanceLossOps.focal(z, y, c.focalGamma, c.focalAlpha < 0 ? Double.NaN : c.focalAlpha,
                            c.ignoreIndex, target, s);
                    case 4 -> ImbalanceLossOps.tversky(z, y, c.tverskyAlpha, c.tverskyBeta, c.ignoreIndex, target, s);
                    case 5 -> ImbalanceLossOps.lovaszSoftmax(z, y, c.classWeights, c.lovaszPerImage, c.ignoreIndex,
                            target, s);
                    default -> ImbalanceLossOps.ohemCrossEntropy(z, y, c.classWeights, c.ohemThresh, c.ohemMinKept,
                            c.ignoreIndex, target, s);
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
        public String toString() {
            SegmentationLoss c = layerConf();
            return c.describe() + "(CE " + c.crossEntropyWeight + ", Dice " + c.diceWeight + ", BCE " + c.bceWeight
                    + ", label smoothing " + c.labelSmoothing + ", focal " + c.focalWeight + " (gamma " + c.focalGamma
                    + ", alpha " + c.focalAlpha + "), Tversky " + c.tverskyWeight + " (alpha " + c.tverskyAlpha
                    + ", beta " + c.tverskyBeta + "), Lovasz " + c.lovaszWeight + (c.lovaszPerImage ? " per image" : "")
                    + ", OHEM " + c.ohemWeight + " (thresh " + c.ohemThresh + ", min kept " + c.ohemMinKept
                    + "), output weight " + c.outputWeight + ")";
        }
    }
}
