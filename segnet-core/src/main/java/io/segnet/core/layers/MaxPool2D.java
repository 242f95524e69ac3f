package io.segnet.core.layers;

import io.segnet.core.engine.EngineSelection;
import io.segnet.core.engine.dnnl.DnnlPoolingOps;
import io.segnet.core.engine.kernels.PoolingOps;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/**
 * Max pooling that records where each maximum came from, PyTorch's {@code F.max_pool2d(..., return_indices=True)}:
 * {@code [N, C, H, W] -> [N, C, Ho, Wo]}, {@code Ho = floor((H + 2 padding - kernel) / stride) + 1}
 * (or ceil with {@link #ceilMode(boolean)}).
 *
 * <p>The recorded argmax positions ({@link Runtime#argmax()}, flat {@code h * W + w} per plane, as PyTorch's indices)
 * route the backward pass and let a {@code MaxUnpool} vertex place values back where the maxima were (SegNet).
 * Default: 2x2, stride 2, no padding.
 *
 * <p>A pass in inference mode records them only with {@link #recordIndices(boolean) recordIndices} (the default;
 * segnet's model builders turn it off for layers no {@code MaxUnpool} names). Without it, only the maxima are computed,
 * for FLOAT by oneDNN's pooling when the oneDNN engine runs (on the threads that just ran the convolutions; see
 * {@link DnnlPoolingOps}), else by segnet's Java kernel, about 4x faster than with indices for 2x2 windows. The values
 * are PyTorch's, except that a window whose maximum is zero may give {@code +0} where PyTorch gives {@code -0} (equal
 * as numbers), and that oneDNN skips NaN where PyTorch lets it win.
 */
public class MaxPool2D extends SegnetLayer {
    private int kernel = 2;
    private int stride = 2;
    private int padding = 0;
    private boolean ceilMode = false;
    private boolean recordIndices = true;

    /** For JSON; 2x2 stride 2 by default. */
    public MaxPool2D() {
    }

    /** {@code k x k} pooling with stride {@code s}. */
    public MaxPool2D(int k, int s) {
        kernel = k;
        stride = s;
    }

    public MaxPool2D kernel(int k) { kernel = k; return this; }
    public MaxPool2D stride(int s) { stride = s; return this; }
    public MaxPool2D padding(int p) { padding = p; return this; }
    public MaxPool2D ceilMode(boolean c) { ceilMode = c; return this; }
    public MaxPool2D name(String name) { setLayerName(name); return this; }
    /** Whether inference passes record the argmax positions (a {@code MaxUnpool} needs them); training always does. */
    public MaxPool2D recordIndices(boolean r) { recordIndices = r; return this; }

    public int getKernel() { return kernel; }
    public int getStride() { return stride; }
    public int getPadding() { return padding; }
    public boolean isCeilMode() { return ceilMode; }
    public boolean isRecordIndices() { return recordIndices; }

    long outSize(long in) {
        return PoolingOps.pooledSize(in, kernel, stride, padding, ceilMode);
    }

    @Override
    public List<ParamSpec> paramSpecs() {
        require(kernel > 0 && stride > 0, "kernel and stride must be positive, got " + kernel + ", " + stride);
        require(padding >= 0 && 2 * padding <= kernel, "padding must be in [0, kernel/2], got " + padding);
        return List.of();
    }

    @Override
    protected InputType outputType(InputType.InputTypeConvolutional in) {
        paramSpecs();
        long oh = outSize(in.getHeight()), ow = outSize(in.getWidth());
        require(oh > 0 && ow > 0, "input " + in.getHeight() + "x" + in.getWidth() + " is smaller than the "
                + kernel + "x" + kernel + " window");
        return InputType.convolutional(oh, ow, in.getChannels());
    }

    @Override
    protected org.deeplearning4j.nn.api.Layer createRuntime(NeuralNetConfiguration conf, DataType dataType) {
        return new Runtime(conf, dataType);
    }

    /** Runtime of {@link MaxPool2D}; keeps the argmax positions of its last forward pass. */
    public static final class Runtime extends SegnetLayerRuntime<MaxPool2D> {
        private int[] argmax = new int[0];
        private long[] inputShape;
        private long[] outputShape;

        public Runtime(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        /** Flat argmax position per output element of the last forward pass ({@code N*C*Ho*Wo}, row-major). */
        public int[] argmax() {
            return argmax;
        }

        /** Shape of the last forward pass's input, {@code [N, C, H, W]}. */
        public long[] inputShape() {
            return inputShape == null ? null : inputShape.clone();
        }

        /** Shape of the last forward pass's output. */
        public long[] outputShape() {
            return outputShape == null ? null : outputShape.clone();
        }

        @Override
        protected void validateInput(INDArray x) {
            MaxPool2D c = layerConf();
            if (c.outSize(x.size(2)) <= 0 || c.outSize(x.size(3)) <= 0) {
                throw new IllegalArgumentException(c.describe() + ": input " + x.size(2) + "x" + x.size(3)
                        + " is smaller than the " + c.kernel + "x" + c.kernel + " window");
            }
        }

        @Override
        protected INDArray forward(INDArray x, boolean training, LayerWorkspaceMgr ws) {
            MaxPool2D c = layerConf();
            INDArray out = newOutput(ws, x.size(0), x.size(1), c.outSize(x.size(2)), c.outSize(x.size(3)));
            if (!training && !c.recordIndices) {
                if (EngineSelection.oneDnn() && DnnlPoolingOps.supports(x)) {
                    DnnlPoolingOps.maxPool(x, out, c.kernel, c.kernel, c.stride, c.stride, c.padding, c.padding);
                } else {
                    PoolingOps.maxPoolValues(x, out, c.kernel, c.kernel, c.stride, c.stride, c.padding, c.padding);
                }
                inputShape = null;
                outputShape = null; // no indices: a MaxUnpool naming this layer fails with "it has not run"
                return out;
            }
            if (argmax.length != out.length()) {
                argmax = new int[(int) out.length()];
            }
            PoolingOps.maxPoolForward(x, out, argmax, c.kernel, c.kernel, c.stride, c.stride, c.padding, c.padding);
            inputShape = x.shape();
            outputShape = out.shape();
            return out;
        }

        @Override
        protected INDArray backward(INDArray x, INDArray dy, LayerWorkspaceMgr ws) {
            INDArray dx = newInputGradient(ws, x.shape());
            PoolingOps.maxPoolBackward(dy, argmax, dx);
            return dx;
        }
    }
}
