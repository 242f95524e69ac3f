package io.segnet.core.layers;

import io.segnet.core.engine.nd4j.Nd4jConvOps;
import io.segnet.core.engine.dnnl.DnnlConvOps;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;

/**
 * Transposed convolution, PyTorch's {@code nn.ConvTranspose2d} (groups = 1, dilation 1):
 * {@code [N, nIn, H, W] -> [N, nOut, Ho, Wo]}, {@code Ho = (H - 1) stride - 2 padding + k + outputPadding}.
 *
 * <p>Weights {@code W: [nIn, nOut, k, k]} (PyTorch's layout), bias {@code b: [nOut]}. The output size is set either
 * by {@code outputPadding} (0 to stride-1) or by an explicit output size, from which the output padding is derived per
 * input (PyTorch's {@code output_size} argument). With {@link #bilinearInit(boolean)}, the kernel starts as bilinear
 * upsampling of each channel (FCN; needs {@code nIn == nOut}). In float it runs oneDNN's deconvolution directly through
 * {@link DnnlConvOps} (output padding up to the padding included); otherwise libnd4j's native
 * {@code deconv2d}/{@code deconv2d_bp}, on the unpadded output cropped to PyTorch's window.
 */
public class TransposedConv2D extends SegnetLayer {
    private long nIn;
    private long nOut;
    private int kernel = 2;
    private int stride = 2;
    private int padding = 0;
    private int outputPadding = 0;
    private long[] outputSize;
    private boolean bias = true;
    private boolean bilinearInit = false;
    private FusedActivation activation = FusedActivation.IDENTITY;

    /** For JSON; use the fluent setters. */
    public TransposedConv2D() {
    }

    /** A {@code k x k}, stride {@code s} transposed convolution {@code nIn -> nOut}, no padding. */
    public TransposedConv2D(long nIn, long nOut, int k, int s) {
        this.nIn = nIn;
        this.nOut = nOut;
        this.kernel = k;
        this.stride = s;
    }

    public TransposedConv2D nIn(long v) { nIn = v; return this; }
    public TransposedConv2D nOut(long v) { nOut = v; return this; }
    public TransposedConv2D kernel(int k) { kernel = k; return this; }
    public TransposedConv2D stride(int s) { stride = s; return this; }
    public TransposedConv2D padding(int p) { padding = p; return this; }
    public TransposedConv2D outputPadding(int p) { outputPadding = p; return this; }
    /** Fixed output size {@code (h, w)}; each input must then map to it with an output padding in [0, stride). */
    public TransposedConv2D outputSize(long h, long w) { outputSize = new long[]{h, w}; return this; }
    public TransposedConv2D bias(boolean b) { bias = b; return this; }
    public TransposedConv2D bilinearInit(boolean b) { bilinearInit = b; return this; }
    public TransposedConv2D activation(FusedActivation a) { activation = a; return this; }
    public TransposedConv2D name(String name) { setLayerName(name); return this; }

    public long getNIn() { return nIn; }
    public long getNOut() { return nOut; }
    public int getKernel() { return kernel; }
    public int getStride() { return stride; }

    /** Output padding for an input of length {@code in} along {@code axis}. */
    int outputPadding(long in, int axis) {
        if (outputSize == null) {
            return outputPadding;
        }
        long op = outputSize[axis] - Nd4jConvOps.deconvOutSize(in, kernel, stride, padding, 0);
        require(op >= 0 && op < Math.max(stride, 1), "input length " + in + " cannot give output length "
                + outputSize[axis] + " (kernel " + kernel + ", stride " + stride + ", padding " + padding
                + "): the reachable lengths are " + Nd4jConvOps.deconvOutSize(in, kernel, stride, padding, 0) + " to "
                + Nd4jConvOps.deconvOutSize(in, kernel, stride, padding, stride - 1));
        return (int) op;
    }

    long outSize(long in, int axis) {
        return Nd4jConvOps.deconvOutSize(in, kernel, stride, padding, outputPadding(in, axis));
    }

    @Override
    public List<ParamSpec> paramSpecs() {
        require(nIn > 0 && nOut > 0, "nIn and nOut must be positive, got nIn=" + nIn + ", nOut=" + nOut);
        require(kernel > 0 && stride > 0 && padding >= 0, "kernel and stride must be positive and padding >= 0");
        require(outputPadding >= 0 && outputPadding < stride, "outputPadding must be in [0, stride), got "
                + outputPadding + " with stride " + stride);
        require(!bilinearInit || nIn == nOut, "bilinear initialisation needs nIn == nOut, got " + nIn + " -> " + nOut);
        List<ParamSpec> s = new ArrayList<>();
        double fanIn = (double) nOut * kernel * kernel, fanOut = (double) nIn * kernel * kernel;
        s.add(new ParamSpec("W", new long[]{nIn, nOut, kernel, kernel},
                bilinearInit ? ParamSpec.Init.BILINEAR : ParamSpec.Init.WEIGHT, fanIn, fanOut));
        if (bias) {
            s.add(new ParamSpec("b", new long[]{nOut}, ParamSpec.Init.BIAS, fanIn, fanOut));
        }
        return s;
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
        require(oh > 0 && ow > 0, "input " + in.getHeight() + "x" + in.getWidth() + " gives an empty output");
        return InputType.convolutional(oh, ow, nOut);
    }

    @Override
    protected org.deeplearning4j.nn.api.Layer createRuntime(NeuralNetConfiguration conf, DataType dataType) {
        return new Runtime(conf, dataType);
    }

    /** Runtime of {@link TransposedConv2D}. */
    public static final class Runtime extends SegnetLayerRuntime<TransposedConv2D> {
        public Runtime(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        protected FusedActivation fusedActivation() {
            return layerConf().activation;
        }

        /** Rows/cols of the padding-0 ("full") output that the padded, output-padded output keeps. */
        private INDArrayIndex[] window(long oh, long ow, long fh, long fw) {
            int p = layerConf().padding;
            return new INDArrayIndex[]{NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.interval(0, Math.min(oh, fh - p)), NDArrayIndex.interval(0, Math.min(ow, fw - p))};
        }

        private INDArrayIndex[] source(long oh, long ow, long fh, long fw) {
            int p = layerConf().padding;
            return new INDArrayIndex[]{NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.interval(p, Math.min(p + oh, fh)), NDArrayIndex.interval(p, Math.min(p + ow, fw))};
        }

        @Override
        protected INDArray forward(INDArray x, boolean training, LayerWorkspaceMgr ws) {
            TransposedConv2D c = layerConf();
            long h = x.size(2), w = x.size(3);
            long oh = c.outSize(h, 0), ow = c.outSize(w, 1);
            INDArray out = newOutput(ws, x.size(0), c.nOut, oh, ow);
            INDArray b = c.bias ? param("b") : null;
            if (DnnlConvOps.supportsTransposed(x, param("W"), c.stride, c.stride, c.padding, c.padding, oh, ow)) {
                DnnlConvOps.transposedForward(x, param("W"), b, out, c.stride, c.stride, c.padding, c.padding);
                return out;
            }
            if (c.outputPadding(h, 0) == 0 && c.outputPadding(w, 1) == 0) {
                Nd4jConvOps.deconv2d(x, param("W"), b, out, c.stride, c.stride, c.padding, c.padding);
                return out;
            }
            // Output padding: compute the unpadded ("full") result and take the window PyTorch keeps; rows past the
            // full result receive only the bias.
            long fh = Nd4jConvOps.deconvOutSize(h, c.kernel, c.stride, 0, 0), fw = Nd4jConvOps.deconvOutSize(w, c.kernel, c.stride, 0, 0);
            INDArray full = ws.createUninitialized(ArrayType.FF_WORKING_MEM, dataType, new long[]{x.size(0), c.nOut, fh, fw}, 'c');
            Nd4jConvOps.deconv2d(x, param("W"), null, full, c.stride, c.stride, 0, 0);
            out.assign(0.0);
            out.get(window(oh, ow, fh, fw)).assign(full.get(source(oh, ow, fh, fw)));
            if (b != null) {
                out.addi(b.reshape(1, c.nOut, 1, 1));
            }
            return out;
        }

        @Override
        protected INDArray backward(INDArray x, INDArray dy, LayerWorkspaceMgr ws) {
            TransposedConv2D c = layerConf();
            long h = x.size(2), w = x.size(3);
            INDArray dx = newInputGradient(ws, x.shape());
            INDArray b = c.bias ? param("b") : null, db = c.bias ? grad("b") : null;
            if (DnnlConvOps.supportsTransposed(x, param("W"), c.stride, c.stride, c.padding, c.padding, dy.size(2),
                    dy.size(3))) {
                DnnlConvOps.transposedBackward(x, param("W"), dy, dx, grad("W"), db, c.stride, c.stride, c.padding,
                        c.padding);
                return dx;
            }
            if (c.outputPadding(h, 0) == 0 && c.outputPadding(w, 1) == 0) {
                Nd4jConvOps.deconv2dBackward(x, param("W"), b, dy, dx, grad("W"), db, c.stride, c.stride, c.padding,
                        c.padding);
                return dx;
            }
            long oh = dy.size(2), ow = dy.size(3);
            long fh = Nd4jConvOps.deconvOutSize(h, c.kernel, c.stride, 0, 0), fw = Nd4jConvOps.deconvOutSize(w, c.kernel, c.stride, 0, 0);
            INDArray dFull = ws.create(ArrayType.BP_WORKING_MEM, dataType, new long[]{x.size(0), c.nOut, fh, fw}, 'c');
            dFull.get(source(oh, ow, fh, fw)).assign(dy.get(window(oh, ow, fh, fw)));
            Nd4jConvOps.deconv2dBackward(x, param("W"), null, dFull, dx, grad("W"), null, c.stride, c.stride, 0, 0);
            if (db != null) {
                db.assign(dy.sum(0, 2, 3));
            }
            return dx;
        }
    }
}
