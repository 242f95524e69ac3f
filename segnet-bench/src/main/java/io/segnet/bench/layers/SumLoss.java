package io.segnet.bench.layers;

import io.segnet.core.engine.kernels.Buf;
import io.segnet.core.layers.ParamSpec;
import io.segnet.core.layers.SegnetLayer;
import io.segnet.core.loss.OutputLayerRuntime;
import io.segnet.core.runtime.Parallel;
import io.segnet.core.runtime.Scratch;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
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
        /** Elements per block of the FLOAT pass. */
        private static final long BLOCK = 1 << 16;

        public Runtime(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public boolean needsLabels() {
            return false;
        }

        /**
         * The sum of {@code z} and, if asked, {@code grad} filled with {@code scale}: one pass over both in
         * {@link Parallel} blocks for FLOAT (as PyTorch's {@code sum} reads once and its backward is an expand, which
         * writes nothing), ND4J's reduction otherwise.
         */
        @Override
        protected double loss(INDArray z, INDArray y, INDArray grad, double scale) {
            if (z.dataType() != DataType.FLOAT || grad != null && grad.dataType() != DataType.FLOAT) {
                if (grad != null) {
                    grad.assign(scale);
                }
                return z.sumNumber().doubleValue();
            }
            Buf.F32 in = (Buf.F32) Buf.of(z);
            Buf.F32 out = grad == null ? null : (Buf.F32) Buf.of(grad);
            long length = z.length();
            int blocks = (int) ((length + BLOCK - 1) / BLOCK);
            double[] sums = new double[blocks];
            Parallel.forEach(blocks, BLOCK, i -> {
                int from = (int) (i * BLOCK), len = (int) Math.min(BLOCK, length - from);
                float[] v = Scratch.floats(0, len);
                in.readFloats(from, v, 0, len);
                // Eight independent accumulators: a double add has a latency of 4 cycles and two ports issue one
                // each per cycle, so fewer chains leave the adders idle (the JIT does not vectorise the reduction).
                double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
                int k = 0;
                for (; k + 8 <= len; k += 8) {
                    s0 += v[k];
                    s1 += v[k + 1];
                    s2 += v[k + 2];
                    s3 += v[k + 3];
                    s4 += v[k + 4];
                    s5 += v[k + 5];
                    s6 += v[k + 6];
                    s7 += v[k + 7];
                }
                for (; k < len; k++) {
                    s0 += v[k];
                }
                sums[i] = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
                if (out != null) {
                    Arrays.fill(v, 0, len, (float) scale);
                    out.writeFloats(from, v, 0, len);
                }
            });
            double total = 0;
            for (double s : sums) {
                total += s;
            }
            return total;
        }
    }
}
