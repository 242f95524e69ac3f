package io.segnet.core.layers;

import io.segnet.core.engine.BackendChoice;
import io.segnet.core.engine.TransposedConvolutionBackend;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * Transposed convolution, PyTorch's {@code nn.ConvTranspose2d} (groups = 1, dilation 1):
 * {@code [N, nIn, H, W] -> [N, nOut, Ho, Wo]}, {@code Ho = (H - 1) stride - 2 padding + k + outputPadding}.
 *
 * <p>Weights {@code W: [nIn, nOut, k, k]} (PyTorch's layout), bias {@code b: [nOut]}. The output size is set either
 * by {@code outputPadding} (0 to stride-1) or by an explicit output size, from which the output padding is derived per
 * input (PyTorch's {@code output_size} argument). With {@link #bilinearInit(boolean)}, the kernel starts as bilinear
 * upsampling of each channel (FCN; needs {@code nIn == nOut}). The engine is a {@link TransposedConvolutionBackend}
 * chosen once per data type: in float, oneDNN's deconvolution (output padding up to the padding included); otherwise
 * libnd4j's native {@code deconv2d}/{@code deconv2d_bp}, on the unpadded output cropped to PyTorch's window.
 */
public class TransposedConv2D extends BaseConv2D<TransposedConv2D> {
    private int kernel = 2;
    private int stride = 2;
    private int padding = 0;
    private int outputPadding = 0;
    private long[] outputSize;
    private boolean bilinearInit = false;

    /** For JSON; use the fluent setters. */
    public TransposedConv2D() {
    }

    /** A {@code k x k}, stride {@code s} transposed convolution {@code nIn -> nOut}, no padding. */
    public TransposedConv2D(long nIn, long nOut, int k, int s) {
        super(nIn, nOut);
        this.kernel = k;
        this.stride = s;
    }

    public TransposedConv2D kernel(int k) { kernel = k; return this; }
    public TransposedConv2D stride(int s) { stride = s; return this; }
    public TransposedConv2D padding(int p) { padding = p; return this; }
    public TransposedConv2D outputPadding(int p) { outputPadding = p; return this; }
    /** Fixed output size {@code (h, w)}; each input must then map to it with an output padding in [0, stride). */
    public TransposedConv2D outputSize(long h, long w) { outputSize = new long[]{h, w}; return this; }
    public TransposedConv2D bilinearInit(boolean b) { bilinearInit = b; return this; }

    public int getKernel() { return kernel; }
    public int getStride() { return stride; }
    public int getPadding() { return padding; }
    /** The fixed output padding (used when no output size is set). */
    public int getOutputPadding() { return outputPadding; }
    /** The fixed output size {@code (h, w)}, or {@code null} if the output padding sets the size. */
    public long[] getOutputSize() { return outputSize == null ? null : outputSize.clone(); }

    /** Output padding for an input of length {@code in} along {@code axis}. */
    int outputPadding(long in, int axis) {
        if (outputSize == null) {
            return outputPadding;
        }
        long op = outputSize[axis] - deconvOutSize(in, kernel, stride, padding, 0);
        require(op >= 0 && op < Math.max(stride, 1), "input length " + in + " cannot give output length "
                + outputSize[axis] + " (kernel " + kernel + ", stride " + stride + ", padding " + padding
                + "): the reachable lengths are " + deconvOutSize(in, kernel, stride, padding, 0) + " to "
                + deconvOutSize(in, kernel, stride, padding, stride - 1));
        return (int) op;
    }

    @Override
    protected long outSize(long in, int axis) {
        return deconvOutSize(in, kernel, stride, padding, outputPadding(in, axis));
    }

    @Override
    protected String emptyOutputProblem() {
        return "gives an empty output";
    }

    @Override
    public List<ParamSpec> paramSpecs() {
        requirePositiveChannels();
        require(kernel > 0 && stride > 0 && padding >= 0, "kernel and stride must be positive and padding >= 0");
        require(outputPadding >= 0 && outputPadding < stride, "outputPadding must be in [0, stride), got "
                + outputPadding + " with stride " + stride);
        require(!bilinearInit || getNIn() == getNOut(), "bilinear initialisation needs nIn == nOut, got " + getNIn()
                + " -> " + getNOut());
        List<ParamSpec> s = new ArrayList<>();
        double fanIn = (double) getNOut() * kernel * kernel, fanOut = (double) getNIn() * kernel * kernel;
        s.add(new ParamSpec("W", new long[]{getNIn(), getNOut(), kernel, kernel},
                bilinearInit ? ParamSpec.Init.BILINEAR : ParamSpec.Init.WEIGHT, fanIn, fanOut));
        addBias(s, fanIn, fanOut);
        return s;
    }

    @Override
    protected org.deeplearning4j.nn.api.Layer createRuntime(NeuralNetConfiguration conf, DataType dataType) {
        return new Runtime(conf, dataType);
    }

    /** Runtime of {@link TransposedConv2D}. */
    public static final class Runtime extends ConvRuntime<TransposedConv2D> {
        private final BackendChoice<TransposedConvolutionBackend> backend =
                new BackendChoice<>(TransposedConvolutionBackend::select);

        public Runtime(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        protected INDArray forward(INDArray x, boolean training, LayerWorkspaceMgr ws) {
            TransposedConv2D c = layerConf();
            INDArray out = newOutput(ws, x.size(0), c.getNOut(), c.outSize(x.size(2), 0), c.outSize(x.size(3), 1));
            backend.forType(x.dataType()).forward(x, param("W"), c.hasBias() ? param("b") : null, out, c.stride,
                    c.stride, c.padding, c.padding, ws);
            return out;
        }

        @Override
        protected INDArray backward(INDArray x, INDArray dy, LayerWorkspaceMgr ws) {
            TransposedConv2D c = layerConf();
            INDArray dx = newInputGradient(ws, x.shape());
            backend.forType(x.dataType()).backward(x, param("W"), c.hasBias() ? param("b") : null, dy, dx,
                    grad("W"), c.hasBias() ? grad("b") : null, c.stride, c.stride, c.padding, c.padding, ws);
            return dx;
        }
    }
}
