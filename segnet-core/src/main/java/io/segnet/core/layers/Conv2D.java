package io.segnet.core.layers;

import io.segnet.core.engine.BackendChoice;
import io.segnet.core.engine.ConvolutionBackend;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * 2-D convolution, PyTorch's {@code nn.Conv2d} (groups = 1): {@code [N, nIn, H, W] -> [N, nOut, Ho, Wo]} with
 * {@code Ho = floor((H + 2 padH - dilH (kH - 1) - 1) / strideH) + 1}.
 *
 * <p>Weights {@code W: [nOut, nIn, kH, kW]}, bias {@code b: [nOut]} (optional). The engine is a
 * {@link ConvolutionBackend} chosen once per data type: in float, every convolution runs oneDNN directly (cached
 * primitives; 1.2-2.5x faster than libnd4j's {@code conv2d} / {@code conv2d_bp}, which create them per call, and the
 * only way to run dilated ones, which libnd4j's oneDNN glue rejects). In double, or where oneDNN's binding is
 * unavailable, undilated convolutions run libnd4j's native ops and dilated ones segnet's atrous kernel (exact per-tap
 * GEMMs). Dilation needs stride 1.
 * An optional ReLU is fused. Default: 3x3, stride 1, padding 0, dilation 1, with bias, no activation.
 */
public class Conv2D extends BaseConv2D<Conv2D> {
    private int[] kernel = {3, 3};
    private int[] stride = {1, 1};
    private int[] padding = {0, 0};
    private int[] dilation = {1, 1};

    /** For JSON; use the fluent setters. */
    public Conv2D() {
    }

    /** A {@code k x k} convolution {@code nIn -> nOut}, stride 1, no padding. */
    public Conv2D(long nIn, long nOut, int k) {
        super(nIn, nOut);
        this.kernel = new int[]{k, k};
    }

    public Conv2D kernel(int kh, int kw) { kernel = new int[]{kh, kw}; return this; }
    public Conv2D stride(int s) { stride = new int[]{s, s}; return this; }
    public Conv2D padding(int p) { padding = new int[]{p, p}; return this; }
    public Conv2D padding(int ph, int pw) { padding = new int[]{ph, pw}; return this; }
    public Conv2D dilation(int d) { dilation = new int[]{d, d}; return this; }

    /**
     * Sets the padding that keeps the spatial size at stride 1 ("same"): {@code dilation * (k - 1) / 2} per axis.
     *
     * @throws IllegalArgumentException for an even kernel, whose same padding would be asymmetric
     */
    public Conv2D samePadding() {
        require(kernel[0] % 2 == 1 && kernel[1] % 2 == 1, "same padding needs an odd kernel, got "
                + kernel[0] + "x" + kernel[1]);
        padding = new int[]{dilation[0] * (kernel[0] - 1) / 2, dilation[1] * (kernel[1] - 1) / 2};
        return this;
    }

    public int[] getKernel() { return kernel.clone(); }
    public int[] getStride() { return stride.clone(); }
    public int[] getPadding() { return padding.clone(); }
    public int[] getDilation() { return dilation.clone(); }

    /** True if a dilation differs from 1 (an atrous convolution). */
    public boolean isDilated() {
        return dilation[0] != 1 || dilation[1] != 1;
    }

    private void validate() {
        requirePositiveChannels();
        require(kernel[0] > 0 && kernel[1] > 0, "kernel must be positive, got " + kernel[0] + "x" + kernel[1]);
        require(stride[0] > 0 && stride[1] > 0, "stride must be positive");
        require(padding[0] >= 0 && padding[1] >= 0, "padding must be >= 0");
        require(dilation[0] > 0 && dilation[1] > 0, "dilation must be positive");
        require(dilation[0] == 1 && dilation[1] == 1 || stride[0] == 1 && stride[1] == 1,
                "a dilated (atrous) convolution needs stride 1, got stride " + stride[0] + "x" + stride[1]
                        + " with dilation " + dilation[0] + "x" + dilation[1]);
    }

    @Override
    public List<ParamSpec> paramSpecs() {
        validate();
        List<ParamSpec> specs = new ArrayList<>();
        double fanIn = (double) getNIn() * kernel[0] * kernel[1], fanOut = (double) getNOut() * kernel[0] * kernel[1];
        specs.add(new ParamSpec("W", new long[]{getNOut(), getNIn(), kernel[0], kernel[1]}, ParamSpec.Init.WEIGHT,
                fanIn, fanOut));
        addBias(specs, fanIn, fanOut);
        return specs;
    }

    @Override
    protected long outSize(long in, int axis) {
        return convOutSize(in, kernel[axis], stride[axis], padding[axis], dilation[axis]);
    }

    @Override
    protected String emptyOutputProblem() {
        return "is smaller than the kernel's reach; use an input of at least "
                + (dilation[0] * (kernel[0] - 1) + 1 - 2 * padding[0]) + "x"
                + (dilation[1] * (kernel[1] - 1) + 1 - 2 * padding[1]);
    }

    @Override
    protected InputType outputType(InputType.InputTypeConvolutional in) {
        validate();
        return super.outputType(in);
    }

    @Override
    protected org.deeplearning4j.nn.api.Layer createRuntime(NeuralNetConfiguration conf, DataType dataType) {
        return new Runtime(conf, dataType);
    }

    /** Runtime of {@link Conv2D}. */
    public static final class Runtime extends ConvRuntime<Conv2D> {
        private final BackendChoice<ConvolutionBackend> backend =
                new BackendChoice<>(type -> ConvolutionBackend.select(type, layerConf().isDilated()));

        public Runtime(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        protected void validateInput(INDArray x) {
            Conv2D c = layerConf();
            long oh = c.outSize(x.size(2), 0), ow = c.outSize(x.size(3), 1);
            if (oh <= 0 || ow <= 0) {
                throw new IllegalArgumentException(c.describe() + ": input " + x.size(2) + "x" + x.size(3)
                        + " is smaller than the kernel's reach (kernel " + c.kernel[0] + "x" + c.kernel[1]
                        + ", dilation " + c.dilation[0] + ", padding " + c.padding[0] + ")");
            }
        }

        @Override
        protected INDArray forward(INDArray x, boolean training, LayerWorkspaceMgr ws) {
            Conv2D c = layerConf();
            INDArray out = newOutput(ws, x.size(0), c.getNOut(), c.outSize(x.size(2), 0), c.outSize(x.size(3), 1));
            backend.forType(x.dataType()).forward(x, param("W"), c.hasBias() ? param("b") : null, out, c.stride[0],
                    c.stride[1], c.padding[0], c.padding[1], c.dilation[0], c.dilation[1],
                    c.getActivation() == FusedActivation.RELU);
            return out;
        }

        /** The engine applies the ReLU with the convolution (for oneDNN, as a post-op). */
        @Override
        protected boolean forwardAppliesActivation() {
            return true;
        }

        @Override
        protected INDArray backward(INDArray x, INDArray dy, LayerWorkspaceMgr ws) {
            Conv2D c = layerConf();
            INDArray dx = newInputGradient(ws, x.shape());
            backend.forType(x.dataType()).backward(x, param("W"), c.hasBias() ? param("b") : null, dy, dx,
                    grad("W"), c.hasBias() ? grad("b") : null, c.stride[0], c.stride[1], c.padding[0], c.padding[1],
                    c.dilation[0], c.dilation[1]);
            return dx;
        }
    }
}
