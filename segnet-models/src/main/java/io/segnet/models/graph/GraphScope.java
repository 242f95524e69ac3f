package io.segnet.models.graph;

import io.segnet.core.graph.Concat;
import io.segnet.core.layers.SegnetLayer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A naming scope over a DL4J graph builder: every layer or vertex added through a scope is named
 * {@code <scope path>.<local name>}, so architectures never type full vertex names. {@code
 * root.scope("decoder").scope("block", 3).layer("conv1", conv, x)} adds {@code decoder.block3.conv1}.
 *
 * <p>Each add returns a {@link Node} with the vertex's output shape at the build size, computed from the layer's or
 * vertex's own output-type rule, so a wiring mistake (a channel mismatch, an input too small for a kernel) fails while
 * the graph is built, with the offending vertex's full name. Names are checked for uniqueness across all scopes of
 * one graph.
 */
public final class GraphScope {
    private final ComputationGraphConfiguration.GraphBuilder builder;
    private final String path;
    private final Set<String> names;

    private GraphScope(ComputationGraphConfiguration.GraphBuilder builder, String path, Set<String> names) {
        this.builder = builder;
        this.path = path;
        this.names = names;
    }

    /**
     * The root scope of a graph with one image input named {@code inputName}, of {@code channels x height x width}.
     * Sets the graph's input and input type; returns the scope and, through {@link #input()}, the input node.
     */
    public static GraphScope root(ComputationGraphConfiguration.GraphBuilder builder, String inputName, long channels,
                                  long height, long width) {
        Objects.requireNonNull(builder, "builder");
        GraphScope root = new GraphScope(builder, "", new HashSet<>());
        root.claim(inputName);
        builder.addInputs(inputName).setInputTypes(InputType.convolutional(height, width, channels));
        root.inputNode = new Node(inputName, channels, height, width);
        return root;
    }

    private Node inputNode;

    /** The graph's input node (root scope only). */
    public Node input() {
        if (inputNode == null) {
            throw new IllegalStateException("input() is only defined on the root scope");
        }
        return inputNode;
    }

    /** The child scope {@code name}. */
    public GraphScope scope(String name) {
        checkLocal(name);
        return new GraphScope(builder, qualify(name), names);
    }

    /** The child scope {@code name + index}, e.g. {@code scope("block", 3)} is {@code block3}. */
    public GraphScope scope(String name, int index) {
        return scope(name + index);
    }

    /** This scope's path ({@code ""} for the root). */
    public String path() {
        return path;
    }

    /** The full name that {@code local} gets in this scope. */
    public String qualify(String local) {
        return path.isEmpty() ? local : path + "." + local;
    }

    /**
     * Adds a segnet layer named {@code local} in this scope, fed by {@code inputs}; returns its node. Only segnet's
     * layers are accepted: DL4J's stock convolution, pooling and batch-norm layers are 10-60x slower.
     */
    public Node layer(String local, SegnetLayer layer, Node... inputs) {
        checkLocal(local);
        requireInputs(local, inputs, 1);
        String name = qualify(local);
        layer.setLayerName(name);
        InputType out = layer.getOutputType(-1, type(inputs[0]));
        claim(name);
        builder.addLayer(name, layer, names(inputs));
        return node(name, out);
    }

    /** Adds a vertex named {@code local} in this scope, fed by {@code inputs}; returns its node. */
    public Node vertex(String local, GraphVertex vertex, Node... inputs) {
        checkLocal(local);
        requireInputs(local, inputs, 1);
        String name = qualify(local);
        InputType[] types = Arrays.stream(inputs).map(GraphScope::type).toArray(InputType[]::new);
        InputType out;
        try {
            out = vertex.getOutputType(-1, types);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("vertex '" + name + "' (" + vertex + ") cannot take inputs "
                    + describe(inputs) + ": " + e.getMessage(), e);
        }
        claim(name);
        builder.addVertex(name, vertex, names(inputs));
        return node(name, out);
    }

    /** Channel concatenation of {@code inputs} (which must share their height and width). */
    public Node concat(String local, Node... inputs) {
        requireInputs(local, inputs, 2);
        requireSameSize(local, "concatenate", inputs);
        return vertex(local, new Concat(), inputs);
    }

    /** Element-wise sum of {@code inputs} (which must share their shape). */
    public Node sum(String local, Node... inputs) {
        requireInputs(local, inputs, 2);
        requireSameShape(local, "add", inputs);
        return vertex(local, new ElementWiseVertex(ElementWiseVertex.Op.Add), inputs);
    }

    /** Declares {@code nodes} as the graph's outputs, in that order. */
    public void outputs(Node... nodes) {
        builder.setOutputs(names(nodes));
    }

    private void requireSameSize(String local, String what, Node... in) {
        for (Node n : in) {
            if (n.height() != in[0].height() || n.width() != in[0].width()) {
                throw new IllegalArgumentException("'" + qualify(local) + "' cannot " + what + " maps of different"
                        + " sizes: " + describe(in) + "; resize or crop them to one size first");
            }
        }
    }

    private void requireSameShape(String local, String what, Node... in) {
        requireSameSize(local, what, in);
        for (Node n : in) {
            if (n.channels() != in[0].channels()) {
                throw new IllegalArgumentException("'" + qualify(local) + "' cannot " + what + " maps with different"
                        + " channel counts: " + describe(in));
            }
        }
    }

    private void requireInputs(String local, Node[] inputs, int min) {
        if (inputs == null || inputs.length < min) {
            throw new IllegalArgumentException("'" + qualify(local) + "' needs at least " + min + " input(s), got "
                    + (inputs == null ? 0 : inputs.length));
        }
        for (Node n : inputs) {
            Objects.requireNonNull(n, "an input of '" + qualify(local) + "' is null");
        }
    }

    private void claim(String name) {
        if (!names.add(name)) {
            throw new IllegalStateException("graph vertex name '" + name + "' is used twice; give the second one its"
                    + " own scope or local name");
        }
    }

    private static void checkLocal(String local) {
        if (local == null || local.isEmpty() || local.contains(".")) {
            throw new IllegalArgumentException("a local vertex or scope name must be non-empty and contain no '.',"
                    + " got '" + local + "'");
        }
    }

    private static InputType type(Node n) {
        return InputType.convolutional(n.height(), n.width(), n.channels());
    }

    private static Node node(String name, InputType t) {
        if (!(t instanceof InputType.InputTypeConvolutional c)) {
            throw new IllegalStateException("vertex '" + name + "' does not produce an NCHW image tensor: " + t);
        }
        return new Node(name, c.getChannels(), c.getHeight(), c.getWidth());
    }

    private static String[] names(Node... nodes) {
        return Arrays.stream(nodes).map(Node::name).toArray(String[]::new);
    }

    private static String describe(Node... nodes) {
        StringBuilder sb = new StringBuilder();
        for (Node n : nodes) {
            sb.append(sb.length() == 0 ? "" : ", ").append(n.name()).append(' ').append(n.shape());
        }
        return sb.toString();
    }
}
