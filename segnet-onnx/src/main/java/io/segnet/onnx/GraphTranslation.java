package io.segnet.onnx;

import io.segnet.core.graph.AddRelu;
import io.segnet.core.graph.BilinearResize;
import io.segnet.core.graph.MatchSize;
import io.segnet.core.graph.MaxUnpool;
import io.segnet.core.graph.NearestResize;
import io.segnet.core.graph.ResizeVertex;
import io.segnet.core.layers.AdaptiveAvgPool2D;
import io.segnet.core.layers.BatchNorm;
import io.segnet.core.layers.Conv2D;
import io.segnet.core.layers.FusedActivation;
import io.segnet.core.layers.MaxPool2D;
import io.segnet.core.layers.SeparableConv2D;
import io.segnet.core.layers.TransposedConv2D;
import io.segnet.core.loss.SegmentationLoss;
import io.segnet.onnx.OnnxGraph.Attr;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Translates a segnet model's inference graph, vertex by vertex in topological order, into ONNX nodes (opset 17).
 * Only what the logits depend on is exported (PSPNet's auxiliary head and the loss layers are training-only; a loss
 * layer passes its input through at inference).
 *
 * <p>The operators, per segnet layer or vertex:
 * <ul>
 *   <li>{@code Conv2D} {@code Conv}; {@code SeparableConv2D} a depthwise {@code Conv} (group = channels) then a
 *       pointwise {@code Conv}; {@code TransposedConv2D} {@code ConvTranspose} with {@code output_padding}; a fused
 *       ReLU {@code Relu}.</li>
 *   <li>{@code BatchNorm}: {@code BatchNormalization} with the running statistics. {@link OnnxExport} folds every
 *       batch norm that directly follows a convolution into it first ({@code BatchNormFolding}), unless asked not
 *       to.</li>
 *   <li>{@code MaxPool2D} {@code MaxPool} (with {@code ceil_mode}); where SegNet unpools through it, with its second
 *       output, the indices, that {@code MaxUnpool} takes with the pooling input's shape as {@code output_shape}.</li>
 *   <li>{@code AdaptiveAvgPool2D}: 1 bin {@code GlobalAveragePool}; {@code b} bins exactly as PyTorch defines them,
 *       bin {@code i} of a length-{@code L} axis covering {@code [floor(i L / b), ceil((i + 1) L / b))}: per axis,
 *       {@code b} {@code Slice}s whose bounds are computed from the input's {@code Shape}, each {@code ReduceMean}ed,
 *       then {@code Concat} (a rectangle's mean is the mean of its rows' means), so any input size works.</li>
 *   <li>{@code BilinearResize} {@code Resize} mode {@code linear}, {@code coordinate_transformation_mode}
 *       {@code align_corners} or {@code pytorch_half_pixel} (PyTorch's {@code align_corners=False}); a resize by a
 *       factor passes {@code scales} (PyTorch maps coordinates with the factor too), a resize to a reference passes
 *       {@code sizes} from the reference's {@code Shape}. {@code NearestResize}: mode {@code nearest},
 *       {@code asymmetric}, {@code nearest_mode = floor} (source index {@code floor(o / scale)}).</li>
 *   <li>{@code MatchSize} (crop and/or zero-pad to a reference's size, centred or at an offset): {@code Slice},
 *       {@code Pad}, {@code Slice} with bounds computed from both {@code Shape}s.</li>
 *   <li>{@code MergeVertex} {@code Concat}; {@code ElementWiseVertex(Add)} {@code Sum}; {@code AddRelu} {@code Sum}
 *       then {@code Relu}; several logits outputs (UNet++ deep supervision) {@code Mean}.</li>
 * </ul>
 */
final class GraphTranslation {
    private final ComputationGraph net;
    private final ComputationGraphConfiguration conf;
    private final OnnxGraph g;
    /** segnet vertex name -> the ONNX value holding its output. */
    private final Map<String, String> values = new HashMap<>();
    /** Pooling layers that a MaxUnpool uses, and their ONNX indices and input values once translated. */
    private final Set<String> unpooledPools = new HashSet<>();
    private final Map<String, String> poolIndices = new HashMap<>();
    private final Map<String, String> poolInputs = new HashMap<>();
    private final Map<String, String> spatialSizes = new HashMap<>();
    private final Map<String, String> leadingSizes = new HashMap<>();
    GraphTranslation(ComputationGraph net, OnnxGraph g) {
        this.net = net;
        this.conf = net.getConfiguration();
        this.g = g;
    }

    /**
     * Emits the nodes computing {@code outputs} from the network input, which is bound to ONNX value
     * {@code input}; returns the ONNX values of the outputs.
     */
    List<String> translate(String input, List<String> outputs) {
        List<String> inputs = conf.getNetworkInputs();
        if (inputs.size() != 1) {
            throw new IllegalArgumentException("ONNX export: a segmentation model has one input, this graph has "
                    + inputs);
        }
        values.put(inputs.get(0), input);
        Set<String> needed = upstream(outputs);
        for (String v : needed) {
            if (conf.getVertices().get(v) instanceof MaxUnpool u) {
                unpooledPools.add(u.getPoolingLayer());
            }
        }
        for (int idx : net.topologicalSortOrder()) {
            String name = net.getVertices()[idx].getVertexName();
            if (needed.contains(name) && !values.containsKey(name)) {
                translate(name);
            }
        }
        List<String> out = new ArrayList<>();
        for (String o : outputs) {
            out.add(values.get(o));
        }
        return out;
    }

    /** The vertices {@code outputs} depend on, network inputs excluded. */
    private Set<String> upstream(List<String> outputs) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(outputs);
        while (!todo.isEmpty()) {
            String v = todo.pop();
            if (conf.getNetworkInputs().contains(v) || !seen.add(v)) {
                continue;
            }
            todo.addAll(conf.getVertexInputs().getOrDefault(v, List.of()));
        }
        return seen;
    }

    private void translate(String name) {
        GraphVertex vertex = conf.getVertices().get(name);
        List<String> in = new ArrayList<>();
        for (String i : conf.getVertexInputs().get(name)) {
            String value = values.get(i);
            if (value == null) {
                throw new IllegalStateException("ONNX export: input '" + i + "' of '" + name + "' not translated yet");
            }
            in.add(value);
        }
        String out;
        if (vertex instanceof LayerVertex lv) {
            if (lv.getPreProcessor() != null) {
                throw unsupported(name, "an input preprocessor " + lv.getPreProcessor().getClass().getSimpleName());
            }
            out = layer(name, lv.getLayerConf().getLayer(), in);
        } else if (vertex instanceof ResizeVertex r) {
            out = resize(name, r, in);
        } else if (vertex instanceof MatchSize m) {
            out = matchSize(name, m, in.get(0), in.get(1));
        } else if (vertex instanceof MaxUnpool u) {
            out = unpool(name, u, in.get(0));
        } else if (vertex instanceof AddRelu) {
            out = g.op("Relu", name, List.of(g.op("Sum", name + ".sum", in)));
        } else if (vertex instanceof MergeVertex m) {
            out = g.op("Concat", name, in, Attr.integer("axis", m.getMergeAxis()));
        } else if (vertex instanceof ElementWiseVertex e) {
            if (e.getOp() != ElementWiseVertex.Op.Add) {
                throw unsupported(name, "ElementWiseVertex(" + e.getOp() + ")");
            }
            out = g.op("Sum", name, in);
        } else {
            throw unsupported(name, vertex.getClass().getSimpleName());
        }
        values.put(name, out);
    }

    private static UnsupportedOperationException unsupported(String name, String what) {
        return new UnsupportedOperationException("ONNX export: '" + name + "' is " + what + ", which the exporter does"
                + " not translate (segnet's architectures use Conv2D, SeparableConv2D, TransposedConv2D, BatchNorm,"
                + " MaxPool2D, AdaptiveAvgPool2D, the resize, MatchSize, MaxUnpool and AddRelu vertices, concatenation"
                + " and sums)");
    }

    private String layer(String name, Layer layer, List<String> in) {
        String x = in.get(0);
        if (layer instanceof Conv2D c) {
            int[] k = c.getKernel(), s = c.getStride(), p = c.getPadding(), d = c.getDilation();
            String y = g.op("Conv", name, convInputs(name, x, "W", c.hasBias()),
                    Attr.ints("kernel_shape", k[0], k[1]), Attr.ints("strides", s[0], s[1]),
                    Attr.ints("pads", p[0], p[1], p[0], p[1]), Attr.ints("dilations", d[0], d[1]));
            return relu(y, c.getActivation(), name);
        }
        if (layer instanceof SeparableConv2D c) {
            int k = c.getKernel(), s = c.getStride(), p = c.effectivePadding(), d = c.getDilation();
            String mid = g.op("Conv", name + ".depthwise", List.of(x, weight(name, "depthwise")),
                    Attr.integer("group", c.getNIn()),
                    Attr.ints("kernel_shape", k, k), Attr.ints("strides", s, s), Attr.ints("pads", p, p, p, p),
                    Attr.ints("dilations", d, d));
            String y = g.op("Conv", name, convInputs(name, mid, "pointwise", c.hasBias()),
                    Attr.ints("kernel_shape", 1, 1));
            return relu(y, c.getActivation(), name);
        }
        if (layer instanceof TransposedConv2D c) {
            return transposedConv(name, c, x);
        }
        if (layer instanceof BatchNorm b) {
            String y = g.op("BatchNormalization", name, List.of(x, vector(name, "gamma"), vector(name, "beta"),
                    vector(name, "runningMean"), vector(name, "runningVar")), Attr.real("epsilon", (float) b.getEps()));
            return relu(y, b.getActivation(), name);
        }
        if (layer instanceof MaxPool2D m) {
            int k = m.getKernel(), s = m.getStride(), p = m.getPadding();
            Attr[] attrs = {Attr.ints("kernel_shape", k, k), Attr.ints("strides", s, s),
                    Attr.ints("pads", p, p, p, p), Attr.integer("ceil_mode", m.isCeilMode() ? 1 : 0)};
            if (!unpooledPools.contains(name)) {
                return g.op("MaxPool", name, List.of(x), attrs);
            }
            String y = g.fresh(name);
            String indices = g.fresh(name + ".indices");
            g.node("MaxPool", name, List.of(x), List.of(y, indices), attrs);
            poolIndices.put(name, indices);
            poolInputs.put(name, x);
            return y;
        }
        if (layer instanceof AdaptiveAvgPool2D a) {
            return a.getBins() == 1 ? g.op("GlobalAveragePool", name, List.of(x))
                    : adaptiveAveragePool(name, x, a.getBins());
        }
        if (layer instanceof SegmentationLoss) {
            return x;
        }
        throw unsupported(name, "a " + layer.getClass().getSimpleName() + " layer");
    }

    private String transposedConv(String name, TransposedConv2D c, String x) {
        int k = c.getKernel(), s = c.getStride(), p = c.getPadding();
        if (c.getOutputSize() != null) {
            // segnet's architectures set the output padding; a fixed output size ties the layer to one input size.
            throw unsupported(name, "a TransposedConv2D with a fixed output size");
        }
        long oph = c.getOutputPadding(), opw = c.getOutputPadding();
        String y = g.op("ConvTranspose", name, convInputs(name, x, "W", c.hasBias()),
                Attr.ints("kernel_shape", k, k), Attr.ints("strides", s, s), Attr.ints("pads", p, p, p, p),
                Attr.ints("output_padding", oph, opw));
        return relu(y, c.getActivation(), name);
    }

    /** A convolution's inputs: {@code x}, its weight {@code weightKey} and, if it has one, its bias. */
    private List<String> convInputs(String name, String x, String weightKey, boolean bias) {
        List<String> in = new ArrayList<>(List.of(x, weight(name, weightKey)));
        if (bias) {
            in.add(vector(name, "b"));
        }
        return in;
    }

    private String relu(String y, FusedActivation a, String name) {
        return a == FusedActivation.RELU ? g.op("Relu", name + ".relu", List.of(y)) : y;
    }

    // ---- shapes ----

    /** {@code [H, W]} of a value, INT64 (one Shape node per value). */
    private String spatialSize(String x) {
        return spatialSizes.computeIfAbsent(x, v -> g.op("Shape", v + ".hw", List.of(v), Attr.integer("start", 2),
                Attr.integer("end", 4)));
    }

    /** {@code [N, C]} of a value, INT64 (one Shape node per value). */
    private String leadingSizes(String x) {
        return leadingSizes.computeIfAbsent(x, v -> g.op("Shape", v + ".nc", List.of(v), Attr.integer("start", 0),
                Attr.integer("end", 2)));
    }

    private String resize(String name, ResizeVertex r, List<String> in) {
        List<String> inputs = new ArrayList<>(List.of(in.get(0), ""));
        if (!Double.isNaN(r.getScale())) {
            float s = (float) r.getScale();
            inputs.add(g.floats(name + ".scales", new long[]{4}, new float[]{1, 1, s, s}));
        } else {
            inputs.add("");
            inputs.add(g.op("Concat", name + ".sizes", List.of(leadingSizes(in.get(0)), spatialSize(in.get(1))),
                    Attr.integer("axis", 0)));
        }
        if (r instanceof BilinearResize b) {
            return g.op("Resize", name, inputs, Attr.string("mode", "linear"),
                    Attr.string("coordinate_transformation_mode", b.isAlignCorners() ? "align_corners"
                            : "pytorch_half_pixel"));
        }
        if (r instanceof NearestResize) {
            return g.op("Resize", name, inputs, Attr.string("mode", "nearest"),
                    Attr.string("coordinate_transformation_mode", "asymmetric"),
                    Attr.string("nearest_mode", "floor"));
        }
        throw unsupported(name, r.getClass().getSimpleName());
    }

    /**
     * {@link MatchSize}: output row {@code i} is x's row {@code i - o} where that exists, else 0, for {@code i} in
     * {@code [0, Hr)}; {@code o} is the fixed offset or {@code floor((Hr - H) / 2)} when centred. As ONNX: crop
     * {@code max(-o, 0)} rows at the start, pad {@code max(o, 0)} before and what is missing after, cut to
     * {@code Hr}.
     */
    private String matchSize(String name, MatchSize m, String x, String ref) {
        String hw = spatialSize(x);
        String target = spatialSize(ref);
        String offset;
        if (m.isCentered()) {
            String d = g.op("Sub", name + ".diff", List.of(target, hw));
            String even = g.op("Sub", name + ".even", List.of(d, g.op("Mod", name + ".odd", List.of(d, g.int64s(2, 2)))));
            offset = g.op("Div", name + ".offset", List.of(even, g.int64s(2, 2)));
        } else {
            offset = g.int64s(m.getOffsetH(), m.getOffsetW());
        }
        String zeros = g.int64s(0, 0);
        String padBefore = g.op("Max", name + ".pad_before", List.of(offset, zeros));
        String cropStart = g.op("Sub", name + ".crop_start", List.of(padBefore, offset));
        String cropped = g.op("Slice", name + ".crop", List.of(x, cropStart, g.int64s(Long.MAX_VALUE, Long.MAX_VALUE),
                g.int64s(2, 3)));
        String kept = g.op("Sub", name + ".kept", List.of(hw, cropStart));
        String padAfter = g.op("Max", name + ".pad_after", List.of(g.op("Sub", name + ".missing",
                List.of(g.op("Sub", name + ".room", List.of(target, padBefore)), kept)), zeros));
        String pads = g.op("Concat", name + ".pads", List.of(zeros, padBefore, zeros, padAfter),
                Attr.integer("axis", 0));
        String padded = g.op("Pad", name + ".pad", List.of(cropped, pads));
        return g.op("Slice", name, List.of(padded, zeros, target, g.int64s(2, 3)));
    }

    private String unpool(String name, MaxUnpool u, String x) {
        String pool = u.getPoolingLayer();
        String indices = poolIndices.get(pool);
        if (indices == null) {
            throw new IllegalStateException("ONNX export: '" + name + "' unpools through '" + pool + "', which has not"
                    + " been translated before it");
        }
        MaxPool2D m = (MaxPool2D) ((LayerVertex) conf.getVertices().get(pool)).getLayerConf().getLayer();
        int k = m.getKernel(), s = m.getStride(), p = m.getPadding();
        Attr[] attrs = {Attr.ints("kernel_shape", k, k), Attr.ints("strides", s, s), Attr.ints("pads", p, p, p, p)};
        String poolInput = poolInputs.get(pool);
        if (!m.isCeilMode()) {
            // Without ceil mode the size MaxUnpool infers, (Ho - 1) s - 2p + k, never exceeds the pooling input's.
            String shape = g.op("Shape", name + ".output_shape", List.of(poolInput));
            return g.op("MaxUnpool", name, List.of(x, indices, shape), attrs);
        }
        // With ceil mode it can exceed the pooling input's size, which ONNX Runtime refuses as output_shape. Unpool
        // into (H + s) x (W + s), at least the inferred size, with the flat indices moved to that layout, then cut.
        String hw = spatialSize(poolInput);
        String h = g.op("Slice", name + ".h", List.of(hw, g.int64s(0), g.int64s(1)));
        String w = g.op("Slice", name + ".w", List.of(hw, g.int64s(1), g.int64s(2)));
        String bigH = g.op("Add", name + ".big_h", List.of(h, g.int64s(s)));
        String bigW = g.op("Add", name + ".big_w", List.of(w, g.int64s(s)));
        String plane = g.op("Mul", name + ".plane", List.of(h, w));
        String bigPlane = g.op("Mul", name + ".big_plane", List.of(bigH, bigW));
        String n = g.op("Div", name + ".n", List.of(indices, plane));
        String r = g.op("Mod", name + ".r", List.of(indices, plane));
        String row = g.op("Div", name + ".row", List.of(r, w));
        String col = g.op("Mod", name + ".col", List.of(r, w));
        String moved = g.op("Add", name + ".indices", List.of(g.op("Add", name + ".rows", List.of(
                g.op("Mul", name + ".planes", List.of(n, bigPlane)), g.op("Mul", name + ".row_offset",
                        List.of(row, bigW)))), col));
        String bigShape = g.op("Concat", name + ".big_shape", List.of(leadingSizes(poolInput), bigH, bigW),
                Attr.integer("axis", 0));
        String big = g.op("MaxUnpool", name + ".big", List.of(x, moved, bigShape), attrs);
        return g.op("Slice", name, List.of(big, g.int64s(0, 0), hw, g.int64s(2, 3)));
    }

    /** Adaptive average pooling to {@code bins x bins}, any input size: rows first, then columns. */
    private String adaptiveAveragePool(String name, String x, int bins) {
        String hw = spatialSize(x);
        String y = x;
        for (int axis = 2; axis <= 3; axis++) {
            String length = g.op("Slice", name + ".len" + axis, List.of(hw, g.int64s(axis - 2), g.int64s(axis - 1)));
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < bins; i++) {
                String start = g.op("Div", name + ".start", List.of(g.op("Mul", name + ".i_len",
                        List.of(length, g.int64s(i))), g.int64s(bins)));
                String end = g.op("Div", name + ".end", List.of(g.op("Add", name + ".ceil", List.of(g.op("Mul",
                        name + ".i1_len", List.of(length, g.int64s(i + 1))), g.int64s(bins - 1))), g.int64s(bins)));
                String bin = g.op("Slice", name + ".bin", List.of(y, start, end, g.int64s(axis)));
                parts.add(g.op("ReduceMean", name + ".mean", List.of(bin), Attr.ints("axes", axis),
                        Attr.integer("keepdims", 1)));
            }
            y = g.op("Concat", axis == 3 ? name : name + ".rows", parts, Attr.integer("axis", axis));
        }
        return y;
    }

    // ---- parameters ----

    private INDArray param(String layer, String key) {
        INDArray p = net.getLayer(layer).getParam(key);
        if (p == null) {
            throw new IllegalStateException("ONNX export: layer '" + layer + "' has no parameter '" + key + "'");
        }
        return p;
    }

    /** Parameter {@code key} of {@code layer} as a float initializer of its own shape. */
    private String weight(String layer, String key) {
        INDArray p = param(layer, key);
        return g.floats(layer + "." + key, p.shape(), floats(p));
    }

    /** Parameter {@code key} of {@code layer} as a 1-D float initializer (a per-channel vector). */
    private String vector(String layer, String key) {
        INDArray p = param(layer, key);
        return g.floats(layer + "." + key, new long[]{p.length()}, floats(p));
    }

    private static float[] floats(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }
}
