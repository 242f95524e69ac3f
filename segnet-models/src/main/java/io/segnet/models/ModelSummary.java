package io.segnet.models;

import io.segnet.core.layers.ParamSpec;
import io.segnet.core.layers.SegnetLayer;
import io.segnet.core.layers.TransposedConv2D;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A model's layers at one input size: per vertex its name, type, output shape {@code [C, H, W]} (per image),
 * trainable parameters, running statistics (batch norm's mean and variance, saved but not trained) and FLOPs, and the
 * totals.
 *
 * <p>FLOPs are {@value #FLOPS_CONVENTION}. Shapes come from each vertex's shape rule; after a max-unpooling vertex
 * they assume even sizes (the unpooled size is only known at run time).
 *
 * @param architecture type tag of the config
 * @param inputHeight  input height the summary is computed for
 * @param inputWidth   input width
 * @param rows         one row per vertex, in topological order (the input first)
 * @param parameters   trainable parameters (equal to PyTorch's {@code sum(p.numel() for p in model.parameters())}
 *                     for the same architecture)
 * @param statistics   running-statistic values (PyTorch's buffers without {@code num_batches_tracked})
 * @param flops        total FLOPs of one image's forward pass
 */
public record ModelSummary(String architecture, int inputHeight, int inputWidth, List<Row> rows, long parameters,
                           long statistics, long flops) {

    /** How FLOPs are counted. */
    public static final String FLOPS_CONVENTION = "2 x multiply-adds of the convolution-type layers (convolutions,"
            + " separable and transposed convolutions) for one image; batch norm, pooling, resizes, sums and"
            + " concatenations are not counted";

    /**
     * One vertex.
     *
     * @param name       vertex name
     * @param type       layer or vertex class
     * @param shape      output {@code [C, H, W]}
     * @param parameters trainable parameters
     * @param statistics running statistics
     * @param flops      FLOPs for one image
     */
    public record Row(String name, String type, List<Long> shape, long parameters, long statistics, long flops) {
        public Row {
            shape = List.copyOf(shape);
        }
    }

    public ModelSummary {
        rows = List.copyOf(rows);
    }

    /** The summary of a graph configuration whose input has {@code channels} channels, at {@code height x width}. */
    public static ModelSummary of(String architecture, ComputationGraphConfiguration configuration, long channels,
                                  int height, int width) {
        ComputationGraphConfiguration conf = configuration.clone();
        String input = conf.getNetworkInputs().get(0);
        Map<String, InputType> types = new java.util.HashMap<>(
                conf.getLayerActivationTypes(InputType.convolutional(height, width, channels)));
        types.put(input, InputType.convolutional(height, width, channels));
        List<Row> rows = new ArrayList<>();
        rows.add(new Row(input, "Input", List.of(channels, (long) height, (long) width), 0, 0, 0));
        long params = 0, stats = 0, flops = 0;
        for (String name : topologicalOrder(conf)) {
            if (name.equals(input)) {
                continue;
            }
            GraphVertex v = conf.getVertices().get(name);
            InputType.InputTypeConvolutional out = (InputType.InputTypeConvolutional) types.get(name);
            long p = 0, s = 0, fl = 0;
            String type = v.getClass().getSimpleName();
            if (v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof SegnetLayer layer) {
                type = layer.getClass().getSimpleName();
                String from = conf.getVertexInputs().get(name).get(0);
                InputType.InputTypeConvolutional src = (InputType.InputTypeConvolutional) types.get(from);
                for (ParamSpec spec : layer.paramSpecs()) {
                    if (spec.trainable()) {
                        p += spec.length();
                    } else {
                        s += spec.length();
                    }
                    if (spec.init() == ParamSpec.Init.WEIGHT || spec.init() == ParamSpec.Init.BILINEAR) {
                        InputType.InputTypeConvolutional at = layer instanceof TransposedConv2D ? src : out;
                        fl += 2 * spec.length() * at.getHeight() * at.getWidth();
                    }
                }
            }
            rows.add(new Row(name, type, List.of(out.getChannels(), out.getHeight(), out.getWidth()), p, s, fl));
            params += p;
            stats += s;
            flops += fl;
        }
        return new ModelSummary(architecture, height, width, rows, params, stats, flops);
    }

    /** Vertex names with every vertex after its inputs (insertion order where free). */
    private static List<String> topologicalOrder(ComputationGraphConfiguration conf) {
        List<String> order = new ArrayList<>(conf.getNetworkInputs());
        java.util.Set<String> done = new java.util.HashSet<>(order);
        List<String> pending = new ArrayList<>(conf.getVertices().keySet());
        while (!pending.isEmpty()) {
            boolean progress = false;
            for (java.util.Iterator<String> it = pending.iterator(); it.hasNext(); ) {
                String v = it.next();
                if (done.containsAll(conf.getVertexInputs().getOrDefault(v, List.of()))) {
                    order.add(v);
                    done.add(v);
                    it.remove();
                    progress = true;
                }
            }
            if (!progress) {
                throw new IllegalStateException("the graph has a cycle through " + pending);
            }
        }
        return order;
    }

    /** A fixed-width table of the rows and the totals. */
    @Override
    public String toString() {
        int w = Math.max(20, rows.stream().mapToInt(r -> r.name().length()).max().orElse(20));
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%s at %dx%d%n", architecture, inputHeight, inputWidth));
        String fmt = "%-" + w + "s  %-18s  %-18s  %12s  %14s%n";
        sb.append(String.format(fmt, "vertex", "type", "output [C,H,W]", "params", "FLOPs"));
        for (Row r : rows) {
            sb.append(String.format(fmt, r.name(), r.type(), r.shape().toString(), String.format("%,d", r.parameters()),
                    String.format("%,d", r.flops())));
        }
        sb.append(String.format("trainable parameters: %,d; running statistics: %,d%n", parameters, statistics));
        sb.append(String.format("FLOPs: %,d (%.2f GFLOPs; %s)%n", flops, flops / 1e9, FLOPS_CONVENTION));
        return sb.toString();
    }
}
