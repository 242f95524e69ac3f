package io.segnet.bench.models;

import io.segnet.models.SegmentationModel;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.PrintStream;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A per-vertex profile of a model's graph, for finding which layer dominates a benchmark case: runs every vertex's
 * forward (and, with labels, backward) pass by hand in topological order, without workspaces, timing each, {@value
 * #PASSES} times, and prints the fastest pass of each vertex (the first passes create oneDNN primitives and touch
 * fresh memory): totals per layer type and the slowest vertices. The optimiser update is not included.
 */
final class LayerTimes {
    private LayerTimes() {
    }

    /** Passes timed; each vertex's fastest counts. */
    static final int PASSES = 5;

    static void print(SegmentationModel model, INDArray x, INDArray labels, PrintStream out) {
        Map<String, Double> forward = new LinkedHashMap<>();
        Map<String, Double> backward = new HashMap<>();
        for (int p = 0; p < PASSES; p++) {
            Map<String, Double> f = new LinkedHashMap<>();
            Map<String, Double> b = new HashMap<>();
            pass(model, x, labels, f, b);
            f.forEach((k, v) -> forward.merge(k, v, Math::min));
            b.forEach((k, v) -> backward.merge(k, v, Math::min));
        }
        report(model.graph(), forward, backward, out);
    }

    /** One timed pass: each vertex's forward and backward milliseconds into the maps. */
    private static void pass(SegmentationModel model, INDArray x, INDArray labels, Map<String, Double> forward,
                             Map<String, Double> backward) {
        ComputationGraph g = model.graph();
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        boolean train = labels != null;
        GraphVertex[] vertices = g.getVertices();
        int[] order = g.topologicalSortOrder();
        Map<Integer, INDArray> acts = new HashMap<>();
        for (int idx : order) {
            GraphVertex v = vertices[idx];
            if (v.isInputVertex()) {
                acts.put(idx, x);
                continue;
            }
            VertexIndices[] in = v.getInputVertices();
            for (int i = 0; i < in.length; i++) {
                v.setInput(i, acts.get(in[i].getVertexIndex()), ws);
            }
            if (train && v.hasLayer() && v.getLayer() instanceof IOutputLayer o) {
                o.setLabels(labels);
            }
            long t = System.nanoTime();
            acts.put(idx, v.doForward(train, ws));
            forward.put(v.getVertexName(), (System.nanoTime() - t) / 1e6);
        }
        if (train) {
            Map<Integer, INDArray> eps = new HashMap<>();
            for (int k = order.length - 1; k >= 0; k--) {
                GraphVertex v = vertices[order[k]];
                if (v.isInputVertex()) {
                    continue;
                }
                if (!v.isOutputVertex()) {
                    INDArray e = eps.get(order[k]);
                    if (e == null) {
                        continue;
                    }
                    v.setEpsilon(e);
                }
                long t = System.nanoTime();
                INDArray[] grads = v.doBackward(false, ws).getSecond();
                backward.put(v.getVertexName(), (System.nanoTime() - t) / 1e6);
                VertexIndices[] in = v.getInputVertices();
                for (int i = 0; i < in.length; i++) {
                    if (grads[i] != null) {
                        eps.merge(in[i].getVertexIndex(), grads[i].dup(), INDArray::addi);
                    }
                }
            }
        }
    }

    private static void report(ComputationGraph g, Map<String, Double> forward, Map<String, Double> backward,
                               PrintStream out) {
        Map<String, double[]> byType = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : forward.entrySet()) {
            GraphVertex v = g.getVertex(e.getKey());
            String type = v.hasLayer() ? v.getLayer().getClass().getName() : v.getClass().getName();
            type = type.substring(type.lastIndexOf('.') + 1).replace("$Runtime", "");
            double[] t = byType.computeIfAbsent(type, k -> new double[3]);
            t[0] += e.getValue();
            t[1] += backward.getOrDefault(e.getKey(), 0.0);
            t[2]++;
        }
        out.printf(Locale.ROOT, "%-24s %6s %12s %12s%n", "vertex type", "count", "forward ms", "backward ms");
        byType.entrySet().stream().sorted(Comparator.comparingDouble(e -> -(e.getValue()[0] + e.getValue()[1])))
                .forEach(e -> out.printf(Locale.ROOT, "%-24s %6d %12.1f %12.1f%n", e.getKey(), (int) e.getValue()[2],
                        e.getValue()[0], e.getValue()[1]));
        out.println("slowest vertices (forward + backward ms):");
        forward.entrySet().stream()
                .sorted(Comparator.comparingDouble(e -> -(e.getValue() + backward.getOrDefault(e.getKey(), 0.0))))
                .limit(12).forEach(e -> out.printf(Locale.ROOT, "  %-40s %8.1f %8.1f%n", e.getKey(), e.getValue(),
                        backward.getOrDefault(e.getKey(), 0.0)));
    }
}
