package io.segnet.core.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.List;

/**
 * Base of segnet's 2-D convolutions, {@link Conv2D}, {@link TransposedConv2D} and {@link SeparableConv2D}:
 * {@code [N, nIn, H, W] -> [N, nOut, Ho, Wo]}. It holds what the three share: the channel counts ({@code nIn} taken
 * from the graph's input type while 0), the optional bias {@code b: [nOut]} (default: with bias), the fused activation
 * (default: none), the output type for an input type, which fails with the layer's name if an input is too small,
 * and the output-length formulas ({@link #convOutSize}, {@link #deconvOutSize}).
 *
 * @param <L> the convolution itself, which the fluent setters return
 */
public abstract class BaseConv2D<L extends BaseConv2D<L>> extends SegnetLayer {
    private long nIn;
    private long nOut;
    private boolean bias = true;
    private FusedActivation activation = FusedActivation.IDENTITY;

    /** For JSON. */
    protected BaseConv2D() {
    }

    protected BaseConv2D(long nIn, long nOut) {
        this.nIn = nIn;
        this.nOut = nOut;
    }

    /**
     * Output length of a convolution: {@code floor((in + 2 pad - dilation (k - 1) - 1) / stride) + 1}.
     */
    public static long convOutSize(long in, int k, int stride, int pad, int dilation) {
        return Math.floorDiv(in + 2L * pad - (long) dilation * (k - 1) - 1, stride) + 1;
    }

    /** Output length of a transposed convolution: {@code (in - 1) stride - 2 pad + (k - 1) + outputPadding + 1}. */
    public static long deconvOutSize(long in, int k, int stride, int pad, int outputPadding) {
        return (in - 1) * stride - 2L * pad + (k - 1) + outputPadding + 1;
    }

    @SuppressWarnings("unchecked")
    private L self() {
        return (L) this;
    }

    public L nIn(long v) { nIn = v; return self(); }
    public L nOut(long v) { nOut = v; return self(); }
    public L bias(boolean b) { bias = b; return self(); }
    public L activation(FusedActivation a) { activation = a; return self(); }
    public L name(String name) { setLayerName(name); return self(); }

    public long getNIn() { return nIn; }
    public long getNOut() { return nOut; }
    public boolean hasBias() { return bias; }
    public FusedActivation getActivation() { return activation; }

    /** Output length along {@code axis} (0 = H, 1 = W) for an input of length {@code in}; may be 0 or less. */
    protected abstract long outSize(long in, int axis);

    /** What to say, after "input HxW", about an input whose output would be empty. */
    protected abstract String emptyOutputProblem();

    /** Throws naming this layer unless both channel counts are positive. */
    protected void requirePositiveChannels() {
        require(nIn > 0 && nOut > 0, "nIn and nOut must be positive, got nIn=" + nIn + ", nOut=" + nOut);
    }

    /** Appends the bias {@code b: [nOut]} to {@code specs} if this layer has one. */
    protected void addBias(List<ParamSpec> specs, double fanIn, double fanOut) {
        if (bias) {
            specs.add(new ParamSpec("b", new long[]{nOut}, ParamSpec.Init.BIAS, fanIn, fanOut));
        }
    }

    @Override
    public long expectedChannels() {
        return Math.max(nIn, 0);
    }

    @Override
    protected void setExpectedChannels(long channels) {
        nIn = channels;
    }

    @Override
    protected InputType outputType(InputType.InputTypeConvolutional in) {
        long oh = outSize(in.getHeight(), 0), ow = outSize(in.getWidth(), 1);
        require(oh > 0 && ow > 0, "input " + in.getHeight() + "x" + in.getWidth() + " " + emptyOutputProblem());
        return InputType.convolutional(oh, ow, nOut);
    }

    /**
     * Runtime base of the convolutions: applies the configured fused activation.
     *
     * @param <C> the convolution's configuration class
     */
    public abstract static class ConvRuntime<C extends BaseConv2D<C>> extends SegnetLayerRuntime<C> {
        protected ConvRuntime(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        protected FusedActivation fusedActivation() {
            return layerConf().getActivation();
        }
    }
}
