package io.segnet.core.testutil;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drives one segnet layer or vertex inside a real {@link ComputationGraph}: sets its parameters, runs forward and
 * backward directly (no workspaces), and checks gradients against central differences of {@code sum(out * R)}.
 */
public final class LayerHarness {
    private final ComputationGraph graph;
    private final Layer layer;
    private final org.deeplearning4j.nn.graph.vertex.GraphVertex vertex;
    private final LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();

    private LayerHarness(ComputationGraph graph, String name) {
        this.graph = graph;
        this.layer = graph.getLayer(name);
        this.vertex = graph.getVertex(name);
    }

    /** A graph {@code in -> layer} for inputs of type {@code [C, H, W]} in the given precision. */
    public static LayerHarness layer(org.deeplearning4j.nn.conf.layers.Layer conf, DataType type, long c, long h, long w) {
        ComputationGraphConfiguration g = new NeuralNetConfiguration.Builder().dataType(type).updater(new NoOp())
                .seed(42).graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(h, w, c))
                .addLayer("L", conf, "in").setOutputs("L").build();
        ComputationGraph net = new ComputationGraph(g);
        net.init();
        net.initGradientsView();
        return new LayerHarness(net, "L");
    }

    /** A graph {@code (in0, in1, ...) -> vertex}; {@code types[i] = {C, H, W}}. */
    public static LayerHarness vertex(GraphVertex conf, DataType type, long[]... types) {
        var b = new NeuralNetConfiguration.Builder().dataType(type).updater(new NoOp()).seed(42).graphBuilder();
        String[] names = new String[types.length];
        InputType[] its = new InputType[types.length];
        for (int i = 0; i < types.length; i++) {
            names[i] = "in" + i;
            its[i] = InputType.convolutional(types[i][1], types[i][2], types[i][0]);
        }
        b.addInputs(names).setInputTypes(its).addVertex("V", conf, names).setOutputs("V");
        ComputationGraph net = new ComputationGraph(b.build());
        net.init();
        net.initGradientsView();
        return new LayerHarness(net, "V");
    }

    /** Wraps an existing graph's layer or vertex. */
    public static LayerHarness of(ComputationGraph graph, String name) {
        return new LayerHarness(graph, name);
    }

    public ComputationGraph graph() {
        return graph;
    }

    public Layer layer() {
        return layer;
    }

    /** Parameter {@code name} of the layer (a view into the graph's parameters). */
    public INDArray param(String name) {
        return layer.getParam(name);
    }

    /** Copies {@code value} into parameter {@code name}. */
    public LayerHarness setParam(String name, INDArray value) {
        layer.getParam(name).assign(value.castTo(layer.getParam(name).dataType()));
        return this;
    }

    /** Forward pass. */
    public INDArray forward(boolean training, INDArray... inputs) {
        if (layer != null) {
            layer.setInput(inputs[0], ws);
            return layer.activate(training, ws);
        }
        vertex.setInputs(inputs);
        return vertex.doForward(training, ws);
    }

    /** Result of a backward pass: input gradients and parameter gradients (copies). */
    public record Grads(INDArray[] inputs, Map<String, INDArray> params) {
    }

    /** Backward pass with output gradient {@code dy}, after a forward pass on the same inputs. */
    public Grads backward(INDArray dy) {
        Map<String, INDArray> p = new LinkedHashMap<>();
        if (layer != null) {
            var r = layer.backpropGradient(dy, ws);
            r.getFirst().gradientForVariable().forEach((k, v) -> p.put(k, v.dup()));
            return new Grads(new INDArray[]{r.getSecond().dup()}, p);
        }
        vertex.setEpsilon(dy);
        var r = vertex.doBackward(false, ws);
        INDArray[] in = new INDArray[r.getSecond().length];
        for (int i = 0; i < in.length; i++) {
            in[i] = r.getSecond()[i].dup();
        }
        return new Grads(in, p);
    }

    /**
     * Double-precision gradient check of {@code L = sum(out * R)} w.r.t. every element of every input in
     * {@code checkInputs} and every trainable parameter, by central differences with step {@code h}.
     *
     * @param makeInputs fresh inputs (the harness perturbs them)
     */
    public void gradientCheck(Supplier<INDArray[]> makeInputs, boolean training, int[] checkInputs,
                              List<String> params) {
        INDArray[] in = makeInputs.get();
        INDArray out = forward(training, in);
        INDArray r = Nd4j.rand(DataType.DOUBLE, out.shape()).subi(0.5).muli(2);
        Grads g = backward(r.dup());
        double h = 1e-6;
        List<String> failures = new ArrayList<>();
        for (int idx : checkInputs) {
            check("input " + idx, in[idx], g.inputs()[idx], () -> loss(training, in, r), h, failures);
        }
        for (String name : params) {
            check("param " + name, param(name), g.params().get(name), () -> loss(training, in, r), h, failures);
        }
        assertTrue(failures.isEmpty(), "gradient check failed:\n" + String.join("\n", failures.subList(0,
                Math.min(20, failures.size()))));
    }

    private double loss(boolean training, INDArray[] in, INDArray r) {
        return forward(training, in).mul(r).sumNumber().doubleValue();
    }

    private static void check(String what, INDArray target, INDArray analytic, Supplier<Double> f, double h,
                              List<String> failures) {
        INDArray flat = target.reshape(target.length());
        INDArray a = analytic.dup('c').reshape(analytic.length());
        for (long i = 0; i < flat.length(); i++) {
            double orig = flat.getDouble(i);
            flat.putScalar(i, orig + h);
            double up = f.get();
            flat.putScalar(i, orig - h);
            double down = f.get();
            flat.putScalar(i, orig);
            double numeric = (up - down) / (2 * h);
            double an = a.getDouble(i);
            double err = Math.abs(numeric - an);
            if (err > 1e-6 && err / Math.max(Math.abs(numeric), Math.abs(an)) > 1e-5) {
                failures.add(what + "[" + i + "]: analytic " + an + ", numeric " + numeric);
            }
        }
    }
}
