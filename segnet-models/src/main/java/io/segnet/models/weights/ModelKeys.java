package io.segnet.models.weights;

import io.segnet.core.layers.BatchNorm;
import io.segnet.core.layers.Conv2D;
import io.segnet.core.layers.SeparableConv2D;
import io.segnet.models.ModelConfig;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The PyTorch key of every parameter of a whole segnet model: the encoder's torchvision keys ({@link TorchvisionKeys})
 * under a prefix ({@code encoder.} for smp, {@code backbone.} for torchvision's segmentation models), and every other
 * layer by a module name that the architecture's mapping gives: a convolution's or batch norm's parameters are
 * {@code <module>.weight}, {@code .bias}, {@code .running_mean}, {@code .running_var}; a separable convolution is a
 * PyTorch {@code Sequential(depthwise, pointwise)}, {@code <module>.0.weight} and {@code <module>.1.weight/bias}.
 */
final class ModelKeys {
    private ModelKeys() {
    }

    /**
     * The keys of every parameter of {@code graph}, built from {@code config}.
     *
     * @param encoderPrefix the prefix of the encoder's keys
     * @param module        segnet layer name to PyTorch module name, or null for a layer the mapping does not know
     * @param inputOrder    (layer, param) to the input channel order of a weight whose concatenated input PyTorch
     *                      orders differently ({@link ParamKey#inputChannelOrder()}), or null
     * @param source        whose names these are, for messages ("smp")
     */
    static List<ParamKey> of(ComputationGraph graph, ModelConfig config, String encoderPrefix,
                             Function<String, String> module, BiFunction<String, String, int[]> inputOrder,
                             String source) {
        List<ParamKey> out = new ArrayList<>();
        for (ParamKey k : TorchvisionKeys.of(graph, EncoderWeights.encoderOf(config), EncoderWeights.SCOPE)) {
            out.add(new ParamKey(encoderPrefix + k.torchKey(), k.layer(), k.param()));
        }
        for (Layer layer : graph.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            if (name.startsWith(EncoderWeights.SCOPE + ".") || layer.paramTable().isEmpty()) {
                continue;
            }
            String m = module.apply(name);
            if (m == null) {
                throw new IllegalStateException("no " + source + " name for layer '" + name + "' of a "
                        + config.typeName());
            }
            Object conf = layer.conf().getLayer();
            for (String p : layer.paramTable().keySet()) {
                String key;
                if (conf instanceof SeparableConv2D) {
                    key = m + switch (p) {
                        case "depthwise" -> ".0.weight";
                        case "pointwise" -> ".1.weight";
                        case "b" -> ".1.bias";
                        default -> throw new IllegalStateException("no " + source + " name for '" + p + "' of '"
                                + name + "'");
                    };
                } else if (conf instanceof Conv2D || conf instanceof BatchNorm) {
                    key = m + "." + TorchvisionKeys.torchParam(p, name);
                } else {
                    throw new IllegalStateException("no " + source + " name for layer '" + name + "' ("
                            + conf.getClass().getSimpleName() + ")");
                }
                out.add(new ParamKey(key, name, p, inputOrder == null ? null : inputOrder.apply(name, p)));
            }
        }
        return out;
    }

    /** Adds "field is value (reference: expected)" to {@code d} when they differ. */
    static void differs(List<String> d, String field, Object value, Object expected, String reference) {
        if (!value.equals(expected)) {
            d.add(field + " is " + value + " (" + reference + ": " + expected + ")");
        }
    }
}
