package io.segnet.models;

import io.segnet.core.layers.BaseConv2D;
import io.segnet.core.layers.BatchNorm;
import io.segnet.core.layers.FusedActivation;
import io.segnet.core.layers.TransposedConv2D;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds batch norm into the convolution before it, for inference: a batch norm in inference mode is the affine map
 * {@code y = s (x - mean) + beta} per channel, {@code s = gamma / sqrt(var + eps)}, so after a convolution
 * {@code x = W * in + b} it equals the convolution with {@code W' = s W} (per output channel) and
 * {@code b' = s (b - mean) + beta}, and the batch norm's activation fused into the convolution. One pass over every
 * activation less, and no batch-norm output buffers.
 *
 * <p>A batch norm is folded when its one input is a {@code Conv2D}, {@code SeparableConv2D} (into the pointwise
 * part) or {@code TransposedConv2D} that has no activation of its own and feeds nothing else. Everything else is kept
 * as it is. The folded graph gives the same outputs to float rounding (tests compare at 1e-5 of the range); it is for
 * inference only: it has no batch-norm statistics to train.
 */
public final class BatchNormFolding {

    private BatchNormFolding() {
    }

    /** The folded graph, and which batch norm went into which convolution. */
    public record Result(ComputationGraph graph, Map<String, String> foldedInto) {
        /** How many batch norms were folded. */
        public int folded() {
            return foldedInto.size();
        }
    }

    /**
     * A new graph equal to {@code net} in inference with its foldable batch norms folded, or {@code net} itself (and no
     * folds) when none is foldable: building the copy first would hold every parameter twice until the garbage
     * collector found the unused copy (measured on FCN-8s VGG16, which has no batch norm: 538 MB more peak resident
     * memory in inference).
     */
    public static Result fold(ComputationGraph net) {
        ComputationGraphConfiguration conf = ComputationGraphConfiguration.fromJson(net.getConfiguration().toJson());
        Map<String, GraphVertex> vertices = conf.getVertices();
        Map<String, List<String>> inputs = conf.getVertexInputs();
        Map<String, List<String>> consumers = new HashMap<>();
        inputs.forEach((v, ins) -> ins.forEach(i -> consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(v)));

        Map<String, String> foldedInto = new LinkedHashMap<>();
        for (Map.Entry<String, GraphVertex> e : vertices.entrySet()) {
            String bn = e.getKey();
            List<String> in = inputs.getOrDefault(bn, List.of());
            if (!(e.getValue() instanceof LayerVertex bv) || !(bv.getLayerConf().getLayer() instanceof BatchNorm)
                    || in.size() != 1 || bv.getPreProcessor() != null) {
                continue;
            }
            String conv = in.get(0);
            if (vertices.get(conv) instanceof LayerVertex cv && cv.getPreProcessor() == null
                    && cv.getLayerConf().getLayer() instanceof BaseConv2D<?> c
                    && c.getActivation() == FusedActivation.IDENTITY
                    && consumers.getOrDefault(conv, List.of()).size() == 1
                    && !conf.getNetworkOutputs().contains(conv)) {
                foldedInto.put(bn, conv);
            }
        }
        if (foldedInto.isEmpty()) {
            return new Result(net, Map.of());
        }
        for (Map.Entry<String, String> f : foldedInto.entrySet()) {
            String bn = f.getKey(), conv = f.getValue();
            BatchNorm b = (BatchNorm) ((LayerVertex) vertices.get(bn)).getLayerConf().getLayer();
            BaseConv2D<?> c = (BaseConv2D<?>) ((LayerVertex) vertices.get(conv)).getLayerConf().getLayer();
            c.bias(true);
            c.activation(b.getActivation());
            vertices.remove(bn);
            inputs.remove(bn);
            inputs.replaceAll((v, ins) -> ins.stream().map(i -> i.equals(bn) ? conv : i).toList());
            conf.setNetworkOutputs(conf.getNetworkOutputs().stream().map(o -> o.equals(bn) ? conv : o).toList());
        }
        // The configuration caches its topological order, which still lists the removed batch norms.
        conf.setTopologicalOrder(null);
        conf.setTopologicalOrderStr(null);
        // Every parameter is written below: no random initialisation, whose temporaries would only be garbage.
        ComputationGraph folded = new ComputationGraph(conf);
        folded.init(Nd4j.createUninitialized(net.params().dataType(), 1, parameterCount(conf)), false);

        Map<String, String> bnOf = new HashMap<>();
        foldedInto.forEach((bn, conv) -> bnOf.put(conv, bn));
        for (Layer layer : folded.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            Layer source = net.getLayer(name);
            String bn = bnOf.get(name);
            for (String key : layer.paramTable().keySet()) {
                if (bn != null && (key.equals("W") || key.equals("pointwise") || key.equals("b"))) {
                    continue;
                }
                layer.getParam(key).assign(source.getParam(key));
            }
            if (bn != null) {
                foldParameters(layer, source, net.getLayer(bn));
            }
        }
        return new Result(folded, Map.copyOf(foldedInto));
    }

    /** Parameters of the graph {@code conf} describes, counted as {@code ComputationGraph.init} counts them. */
    private static long parameterCount(ComputationGraphConfiguration conf) {
        return conf.getVertices().values().stream().mapToLong(v -> v.numParams(true)).sum();
    }

    /** Writes the folded weight and bias of {@code source} and batch norm {@code bn} into {@code target}. */
    private static void foldParameters(Layer target, Layer source, Layer bn) {
        double eps = ((BatchNorm) bn.conf().getLayer()).getEps();
        boolean transposed = target.conf().getLayer() instanceof TransposedConv2D;
        String weightKey = source.paramTable().containsKey("pointwise") ? "pointwise" : "W";
        INDArray w = source.getParam(weightKey);
        INDArray b = source.paramTable().get("b");
        double[] gamma = doubles(bn.getParam("gamma"));
        double[] beta = doubles(bn.getParam("beta"));
        double[] mean = doubles(bn.getParam("runningMean"));
        double[] var = doubles(bn.getParam("runningVar"));
        int channels = gamma.length;
        double[] scale = new double[channels];
        double[] bias = new double[channels];
        double[] b0 = b == null ? new double[channels] : doubles(b);
        for (int c = 0; c < channels; c++) {
            scale[c] = gamma[c] / Math.sqrt(var[c] + eps);
            bias[c] = (b0[c] - mean[c]) * scale[c] + beta[c];
        }
        long[] shape = w.shape();
        int outAxis = transposed ? 1 : 0;
        long inner = 1;
        for (int a = outAxis + 1; a < shape.length; a++) {
            inner *= shape[a];
        }
        double[] weights = doubles(w);
        for (int i = 0; i < weights.length; i++) {
            weights[i] *= scale[(int) ((i / inner) % channels)];
        }
        DataType type = target.getParam(weightKey).dataType();
        INDArray folded = Nd4j.create(weights, shape, 'c');
        INDArray cast = folded.castTo(type);
        target.getParam(weightKey).assign(cast);
        free(cast, folded);
        free(folded, null);
        target.getParam("b").assign(Nd4j.createFromArray(bias).castTo(type).reshape(target.getParam("b").shape()));
    }

    /**
     * The values of {@code a} in c order. The double copies are freed here: a model's worth of them (eight bytes per
     * parameter, twice) would otherwise wait for the garbage collector and raise the peak memory of loading a model.
     */
    private static double[] doubles(INDArray a) {
        INDArray d = a.castTo(DataType.DOUBLE);
        INDArray c = d.dup('c');
        double[] values = c.data().asDouble();
        free(c, a);
        free(d, a);
        return values;
    }

    /** Closes the temporary {@code t} unless it is {@code keep} itself or cannot be closed (a view). */
    private static void free(INDArray t, INDArray keep) {
        if (t != keep && t.closeable()) {
            t.close();
        }
    }
}
