package io.segnet.core.layers;

import io.segnet.core.engine.BackendChoice;
import io.segnet.core.engine.ConvolutionBackend;
import io.segnet.core.engine.kernels.DepthwiseOps;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * Depthwise-separable convolution (Chollet 2017; DeepLabv3+'s separable ASPP and decoder): a {@code k x k} depthwise
 * convolution with dilation and no bias, then a {@code 1x1} pointwise convolution with optional bias; PyTorch's
 * {@code Conv2d(nIn, nIn, k, padding=p, dilation=d, groups=nIn, bias=False)} followed by {@code Conv2d(nIn, nOut, 1)}.
 *
 * <p>{@code [N, nIn, H, W] -> [N, nOut, Ho, Wo]}, {@code Ho = floor((H + 2p - d (k - 1) - 1) / stride) + 1}.
 * Parameters: {@code depthwise [nIn, 1, k, k]}, {@code pointwise [nOut, nIn, 1, 1]}, {@code b [nOut]}.
 * Default: 3x3, stride 1, same padding for the dilation, with bias, no activation.
 */
public class SeparableConv2D extends BaseConv2D<SeparableConv2D> {
    private int kernel = 3;
    private int stride = 1;
    private int padding = -1;
    private int dilation = 1;

    /** For JSON; use the fluent setters. */
    public SeparableConv2D() {
    }

    /** A 3x3 separable convolution {@code nIn -> nOut} with the given dilation and same padding. */
    public SeparableConv2D(long nIn, long nOut, int dilation) {
        super(nIn, nOut);
        this.dilation = dilation;
    }

    public SeparableConv2D kernel(int k) { kernel = k; return this; }
    public SeparableConv2D stride(int s) { stride = s; return this; }
    /** Explicit padding; by default {@code dilation * (kernel - 1) / 2} (same size at stride 1). */
    public SeparableConv2D padding(int p) { padding = p; return this; }
    public SeparableConv2D dilation(int d) { dilation = d; return this; }

    public int getDilation() { return dilation; }
    public int getKernel() { return kernel; }
    public int getStride() { return stride; }
    /** The padding in effect: the explicit one, or same padding for the dilation. */
    public int effectivePadding() { return pad(); }

    int pad() {
        return padding >= 0 ? padding : dilation * (kernel - 1) / 2;
    }

    @Override
    protected long outSize(long in, int axis) {
        return convOutSize(in, kernel, stride, pad(), dilation);
    }

    @Override
    protected String emptyOutputProblem() {
        return "is smaller than the kernel's reach";
    }

    @Override
    public List<ParamSpec> paramSpecs() {
        requirePositiveChannels();
        require(kernel > 0 && stride > 0 && dilation > 0, "kernel, stride and dilation must be positive");
        long nIn = getNIn(), nOut = getNOut();
        List<ParamSpec> s = new ArrayList<>();
        s.add(new ParamSpec("depthwise", new long[]{nIn, 1, kernel, kernel}, ParamSpec.Init.WEIGHT, kernel * kernel,
                kernel * kernel));
        s.add(new ParamSpec("pointwise", new long[]{nOut, nIn, 1, 1}, ParamSpec.Init.WEIGHT, nIn, nOut));
        addBias(s, nIn, nOut);
        return s;
    }

    @Override
    protected org.deeplearning4j.nn.api.Layer createRuntime(NeuralNetConfiguration conf, DataType dataType) {
        return new Runtime(conf, dataType);
    }

    /**
     * Runtime of {@link SeparableConv2D}: the depthwise convolution runs {@link DepthwiseOps}, the pointwise one the
     * {@link ConvolutionBackend} of the data type (oneDNN in float; libnd4j's native op, whose NCHW path allocates
     * output-sized temporaries on every call, took 69 ms against oneDNN's 25-35 ms for the reference case L4).
     */
    public static final class Runtime extends ConvRuntime<SeparableConv2D> {
        private final BackendChoice<ConvolutionBackend> pointwise =
                new BackendChoice<>(type -> ConvolutionBackend.select(type, false));
        private INDArray mid;
        private INDArray dMid;

        public Runtime(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        protected INDArray forward(INDArray x, boolean training, LayerWorkspaceMgr ws) {
            SeparableConv2D c = layerConf();
            long oh = c.outSize(x.size(2), 0), ow = c.outSize(x.size(3), 1);
            mid = scratch(mid, x.size(0), c.getNIn(), oh, ow);
            int p = c.pad();
            DepthwiseOps.forward(x, param("depthwise"), mid, c.stride, c.stride, p, p, c.dilation, c.dilation);
            INDArray out = newOutput(ws, x.size(0), c.getNOut(), oh, ow);
            pointwise.forType(mid.dataType()).forward(mid, param("pointwise"), c.hasBias() ? param("b") : null, out,
                    1, 1, 0, 0, 1, 1);
            return out;
        }

        @Override
        protected INDArray backward(INDArray x, INDArray dy, LayerWorkspaceMgr ws) {
            SeparableConv2D c = layerConf();
            dMid = scratch(dMid, mid.shape());
            pointwise.forType(mid.dataType()).backward(mid, param("pointwise"), c.hasBias() ? param("b") : null, dy,
                    dMid, grad("pointwise"), c.hasBias() ? grad("b") : null, 1, 1, 0, 0, 1, 1);
            INDArray dx = newInputGradient(ws, x.shape());
            int p = c.pad();
            DepthwiseOps.backward(x, param("depthwise"), dMid, dx, grad("depthwise"), c.stride, c.stride, p, p,
                    c.dilation, c.dilation);
            return dx;
        }
    }
}
