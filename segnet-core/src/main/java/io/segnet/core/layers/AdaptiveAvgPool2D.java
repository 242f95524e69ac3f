package io.segnet.core.layers;

import io.segnet.core.engine.kernels.PoolingOps;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/**
 * Adaptive average pooling to a fixed {@code bins x bins} grid, PyTorch's {@code nn.AdaptiveAvgPool2d}:
 * {@code [N, C, H, W] -> [N, C, bins, bins]} for any H, W (bins overlap when the size is not divisible, exactly as
 * PyTorch defines them). {@code bins = 1} is global average pooling (ASPP's image-pooling branch); PSPNet uses
 * 1, 2, 3 and 6.
 */
public class AdaptiveAvgPool2D extends SegnetLayer {
    private int bins = 1;

    /** For JSON; global pooling by default. */
    public AdaptiveAvgPool2D() {
    }

    /** Pools to {@code bins x bins}. */
    public AdaptiveAvgPool2D(int bins) {
        this.bins = bins;
    }

    public AdaptiveAvgPool2D name(String name) { setLayerName(name); return this; }

    public int getBins() { return bins; }

    @Override
    public List<ParamSpec> paramSpecs() {
        require(bins > 0, "bins must be positive, got " + bins);
        return List.of();
    }

    @Override
    protected InputType outputType(InputType.InputTypeConvolutional in) {
        paramSpecs();
        return InputType.convolutional(bins, bins, in.getChannels());
    }

    @Override
    protected org.deeplearning4j.nn.api.Layer createRuntime(NeuralNetConfiguration conf, DataType dataType) {
        return new Runtime(conf, dataType);
    }

    /** Runtime of {@link AdaptiveAvgPool2D}. */
    public static final class Runtime extends SegnetLayerRuntime<AdaptiveAvgPool2D> {
        public Runtime(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        protected INDArray forward(INDArray x, boolean training, LayerWorkspaceMgr ws) {
            int b = layerConf().bins;
            INDArray out = newOutput(ws, x.size(0), x.size(1), b, b);
            PoolingOps.adaptiveAvgPoolForward(x, out);
            return out;
        }

        @Override
        protected INDArray backward(INDArray x, INDArray dy, LayerWorkspaceMgr ws) {
            INDArray dx = newInputGradient(ws, x.shape());
            PoolingOps.adaptiveAvgPoolBackward(dy, dx);
            return dx;
        }
    }
}
