package io.segnet.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX graph under construction: nodes in topological order, weight and constant initializers, with unique value
 * names. A thin layer over the generated {@link OnnxMl} protobuf builders; it knows nothing about segnet models
 * ({@link GraphTranslation} does).
 */
final class OnnxGraph {
    private final OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder();
    private final Set<String> names = new HashSet<>();
    private final Set<String> nodeNames = new HashSet<>();
    private final Map<String, String> int64Constants = new HashMap<>();

    OnnxGraph(String name) {
        graph.setName(name);
    }

    /** A value name not used yet, derived from {@code base} (dots and slashes kept: they read like segnet's names). */
    String fresh(String base) {
        return unique(names, base);
    }

    /** {@code base}, or {@code base_1}, {@code base_2}, ... : the first not in {@code taken}, which it is added to. */
    private static String unique(Set<String> taken, String base) {
        String name = base;
        for (int i = 1; !taken.add(name); i++) {
            name = base + "_" + i;
        }
        return name;
    }

    /** Reserves {@code name} exactly (graph inputs and outputs); fails if it is taken. */
    String reserve(String name) {
        if (!names.add(name)) {
            throw new IllegalStateException("ONNX value name '" + name + "' is used twice");
        }
        return name;
    }

    /** An attribute of a node. */
    record Attr(OnnxMl.AttributeProto proto) {
        static Attr ints(String name, long... values) {
            OnnxMl.AttributeProto.Builder b = OnnxMl.AttributeProto.newBuilder().setName(name)
                    .setType(OnnxMl.AttributeProto.AttributeType.INTS);
            for (long v : values) {
                b.addInts(v);
            }
            return new Attr(b.build());
        }

        static Attr integer(String name, long value) {
            return new Attr(OnnxMl.AttributeProto.newBuilder().setName(name)
                    .setType(OnnxMl.AttributeProto.AttributeType.INT).setI(value).build());
        }

        static Attr real(String name, float value) {
            return new Attr(OnnxMl.AttributeProto.newBuilder().setName(name)
                    .setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(value).build());
        }

        static Attr string(String name, String value) {
            return new Attr(OnnxMl.AttributeProto.newBuilder().setName(name)
                    .setType(OnnxMl.AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(value)).build());
        }
    }

    /**
     * Adds a node {@code op(inputs) -> outputs}; an input may be {@code ""} for a left-out optional input.
     *
     * @param name node name (made unique)
     */
    void node(String op, String name, List<String> inputs, List<String> outputs, Attr... attrs) {
        OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(unique(nodeNames, name))
                .addAllInput(inputs).addAllOutput(outputs);
        for (Attr a : attrs) {
            n.addAttribute(a.proto());
        }
        graph.addNode(n.build());
    }

    /** Adds a node with one output, a fresh value named after {@code name}, and returns that value's name. */
    String op(String op, String name, List<String> inputs, Attr... attrs) {
        String out = fresh(name);
        node(op, name, inputs, List.of(out), attrs);
        return out;
    }

    /** A float initializer of {@code shape} holding {@code values} (row-major). */
    String floats(String name, long[] shape, float[] values) {
        if (Arrays.stream(shape).reduce(1, (a, b) -> a * b) != values.length) {
            throw new IllegalArgumentException(name + ": " + values.length + " values for shape "
                    + Arrays.toString(shape));
        }
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        return initializer(name, shape, OnnxMl.TensorProto.DataType.FLOAT, raw);
    }

    /** A 1-D INT64 constant (shared between uses of the same values). */
    String int64s(long... values) {
        String key = Arrays.toString(values);
        String existing = int64Constants.get(key);
        if (existing != null) {
            return existing;
        }
        ByteBuffer raw = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        raw.asLongBuffer().put(values);
        String name = initializer("const_i64", new long[]{values.length}, OnnxMl.TensorProto.DataType.INT64, raw);
        int64Constants.put(key, name);
        return name;
    }

    private String initializer(String name, long[] shape, OnnxMl.TensorProto.DataType type, ByteBuffer raw) {
        String unique = fresh(name);
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(unique).setDataType(type.getNumber())
                .setRawData(ByteString.copyFrom(raw.array()));
        for (long d : shape) {
            t.addDims(d);
        }
        graph.addInitializer(t.build());
        return unique;
    }

    /** A graph input or output: element {@code type}, and per axis a fixed size ({@code Long}) or a name. */
    static OnnxMl.ValueInfoProto valueInfo(String name, OnnxMl.TensorProto.DataType type, Object... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (Object d : dims) {
            OnnxMl.TensorShapeProto.Dimension.Builder dim = OnnxMl.TensorShapeProto.Dimension.newBuilder();
            if (d instanceof Number n) {
                dim.setDimValue(n.longValue());
            } else {
                dim.setDimParam((String) d);
            }
            shape.addDim(dim);
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape)))
                .build();
    }

    void input(OnnxMl.ValueInfoProto info) {
        graph.addInput(info);
    }

    void output(OnnxMl.ValueInfoProto info) {
        graph.addOutput(info);
    }

    OnnxMl.GraphProto build() {
        return graph.build();
    }
}
