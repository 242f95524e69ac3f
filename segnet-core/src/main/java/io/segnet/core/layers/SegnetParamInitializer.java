package io.segnet.core.layers;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitRelu;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lays out and initialises the parameters a {@link SegnetLayer} declares through {@link SegnetLayer#paramSpecs()}:
 * consecutive slices of the graph's flat parameter (and gradient) vector, in declaration order, each reshaped to its
 * spec's shape in 'c' order.
 */
public final class SegnetParamInitializer implements ParamInitializer {

    /** The one instance (the initializer is stateless). */
    public static final SegnetParamInitializer INSTANCE = new SegnetParamInitializer();

    private SegnetParamInitializer() {
    }

    private static List<ParamSpec> specs(Layer layer) {
        return layer instanceof SegnetLayer s ? s.paramSpecs() : List.of();
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        return specs(layer).stream().mapToLong(ParamSpec::length).sum();
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return specs(layer).stream().map(ParamSpec::name).toList();
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return specs(layer).stream().filter(s -> s.init() == ParamSpec.Init.WEIGHT
                || s.init() == ParamSpec.Init.BILINEAR).map(ParamSpec::name).toList();
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return specs(layer).stream().filter(s -> s.init() == ParamSpec.Init.BIAS).map(ParamSpec::name).toList();
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return weightKeys(layer).contains(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return biasKeys(layer).contains(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        Map<String, INDArray> views = slice(conf.getLayer(), paramsView);
        for (ParamSpec s : specs(conf.getLayer())) {
            conf.addVariable(s.name());
            if (initializeParams) {
                initialise((SegnetLayer) conf.getLayer(), s, views.get(s.name()));
            }
        }
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return slice(conf.getLayer(), gradientView);
    }

    private static Map<String, INDArray> slice(Layer layer, INDArray flat) {
        Map<String, INDArray> out = Collections.synchronizedMap(new LinkedHashMap<>());
        List<ParamSpec> specs = specs(layer);
        if (specs.isEmpty()) {
            return out;
        }
        INDArray row = flat.reshape(flat.length());
        long offset = 0;
        for (ParamSpec s : specs) {
            long len = s.length();
            out.put(s.name(), row.get(NDArrayIndex.interval(offset, offset + len)).reshape('c', s.shape()));
            offset += len;
        }
        return out;
    }

    private static void initialise(SegnetLayer layer, ParamSpec s, INDArray view) {
        switch (s.init()) {
            case WEIGHT -> {
                IWeightInit init = layer.getWeightInitFn() != null ? layer.getWeightInitFn() : new WeightInitRelu();
                init.init(s.fanIn(), s.fanOut(), s.shape(), 'c', view);
            }
            case BIAS -> view.assign(Double.isNaN(layer.getBiasInit()) ? 0.0 : layer.getBiasInit());
            case ONES, STAT_ONES -> view.assign(1.0);
            case ZEROS, STAT_ZEROS -> view.assign(0.0);
            case BILINEAR -> view.assign(bilinearKernel(s.shape()));
        }
    }

    /**
     * The FCN paper's bilinear-upsampling initialisation for a {@code [C, C, k, k]} transposed convolution: channel
     * {@code c} maps to itself through {@code (1 - |i - center| / f)(1 - |j - center| / f)} with
     * {@code f = ceil(k / 2)}, {@code center = f - 1} for odd k and {@code f - 0.5} for even k; other pairs are 0.
     */
    static INDArray bilinearKernel(long[] shape) {
        if (shape[0] != shape[1] || shape[2] != shape[3]) {
            throw new IllegalArgumentException("bilinear initialisation needs a [C, C, k, k] kernel with as many input"
                    + " as output channels, got " + java.util.Arrays.toString(shape));
        }
        int c = (int) shape[0], k = (int) shape[2];
        double f = Math.ceil(k / 2.0);
        double center = k % 2 == 1 ? f - 1 : f - 0.5;
        double[] kern = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                kern[i * k + j] = (1 - Math.abs(i - center) / f) * (1 - Math.abs(j - center) / f);
            }
        }
        double[] all = new double[c * c * k * k];
        for (int ch = 0; ch < c; ch++) {
            System.arraycopy(kern, 0, all, ((ch * c) + ch) * k * k, k * k);
        }
        return org.nd4j.linalg.factory.Nd4j.create(all, shape, 'c');
    }

    static List<String> names(List<ParamSpec> specs) {
        List<String> out = new ArrayList<>();
        specs.forEach(s -> out.add(s.name()));
        return out;
    }
}
