package io.segnet.bench.layers;

import io.segnet.core.layers.ParamSpec;
import io.segnet.core.layers.SegnetLayer;
import io.segnet.core.loss.OutputLayerRuntime;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/**
 * Benchmark output layer: loss = sum of its input, so a graph {@code input -> op -> SumLoss} times the op's forward
 * and backward pass exactly as PyTorch's {@code op(x).sum().backward()} does. Takes no labels.
 */
public class SumLoss extends SegnetLayer {

    /** For JSON. */
    public SumLoss() {
    }

    @Override
    public List<ParamSpec> paramSpecs() {
        return List.of();
    }

    @Override
    protected InputType outputType(InputType.InputTypeConvolutional in) {
        return in;
    }

    @Override
    protected org.deeplearning4j.nn.api.Layer createRuntime(NeuralNetConfiguration conf, DataType dataType) {
        return new Runtime(conf, dataType);
    }

    /** Runtime of {@link SumLoss}. */
    public static final class Runtime extends OutputLayerRuntime<SumLoss> {
        public Runtime(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public boolean needsLabels() {
            return false;
        }

        @Override
        protected double loss(INDArray z, INDArray y, INDArray grad, double scale) {
            if (grad != null) {
                grad.assign(scale);
            }
            return z.sumNumber().doubleValue();
        }
    }
}
