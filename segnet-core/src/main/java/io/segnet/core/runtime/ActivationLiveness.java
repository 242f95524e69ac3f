package io.segnet.core.runtime;

import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.graph.vertex.impl.MergeVertex;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Frees a training step's activations during its backward pass, as PyTorch's autograd frees each saved tensor once the
 * backward node that reads it has run: the memory of an activation nothing reads any more serves the activation
 * gradients that follow ({@link GradientBuffers}), instead of those gradients taking memory of their own while DL4J
 * keeps every activation in its workspace until the step ends.
 *
 * <p>When an activation is dead. DL4J runs the backward pass in reverse topological order, so every vertex that reads
 * an activation (its consumers) has finished its backward pass before the vertex that produced it starts its own.
 * <ul>
 *   <li>The output of a segnet layer or vertex ({@link Reporter}) is dead once that vertex's backward pass has
 *       finished: its consumers' have, and it was the last possible reader (a fused ReLU reads its own output).</li>
 *   <li>The output of DL4J's {@code MergeVertex} or an adding {@code ElementWiseVertex} (neither reads an activation
 *       in its backward pass; both copy their inputs in the forward pass) is dead once each of its consumers has
 *       finished, provided all of them are segnet's (which report it) or such vertices themselves.</li>
 *   <li>Nothing else is ever freed: the network's inputs, outputs that are views of or share memory with a vertex's
 *       inputs (an output layer's), arrays outside DL4J's workspaces, and the outputs of any other DL4J vertex.</li>
 * </ul>
 * A training step is bracketed by {@link #during}; outside it, {@link #backwardFinished} does nothing, so layers run
 * on their own (gradient checks, benchmarks of one layer) are unaffected. Results do not change: only where the
 * gradients are stored does ({@code ActivationLivenessTest} in segnet-models trains every architecture both ways).
 *
 * <p>Measured on a U-Net VGG16-BN training step at 384x480, batch 2 ({@code TrainingMemory}): 738 MB of gradient
 * buffers became 390 MB, and with {@code Concat}'s gradients served the same way the peak resident memory went from
 * 3.97 GB to 3.37 GB.
 */
public final class ActivationLiveness {
    /** Implemented by segnet's layer and vertex runtimes, which report when their backward pass has finished. */
    public interface Reporter {
    }

    /**
     * System property: {@code false} keeps every activation until the step ends, as DL4J does (more memory, same
     * results); read at every step. Default {@code true}.
     */
    public static final String ENABLED_PROPERTY = "segnet.freeDeadActivations";

    private static final ThreadLocal<Step> CURRENT = new ThreadLocal<>();
    private static final Map<ComputationGraph, Plan> PLANS = Collections.synchronizedMap(new WeakHashMap<>());

    private ActivationLiveness() {
    }

    /**
     * Runs one training step of {@code graph} (forward, backward and update, e.g. {@code graph.fit(batch)}) with its
     * dead activations serving the activation gradients; ends with {@link GradientBuffers#reclaimAll()}. Nested calls
     * run {@code step} as part of the outer one.
     */
    public static void during(ComputationGraph graph, Runnable step) {
        if (CURRENT.get() != null) {
            step.run();
            return;
        }
        if (Boolean.parseBoolean(System.getProperty(ENABLED_PROPERTY, "true"))) {
            CURRENT.set(new Step(PLANS.computeIfAbsent(graph, Plan::new)));
        }
        try {
            step.run();
        } finally {
            CURRENT.remove();
            GradientBuffers.reclaimAll();
        }
    }

    /**
     * Called by {@code runtime} (a segnet layer or vertex) once its backward pass has finished, with the output its
     * forward pass returned, the inputs it was given (as set, not copies) and the input gradients it returns.
     */
    public static void backwardFinished(Reporter runtime, INDArray output, INDArray[] inputs,
                                        INDArray[] inputGradients) {
        Step s = CURRENT.get();
        if (s != null) {
            s.finished(runtime, output, inputs, inputGradients);
        }
    }

    /**
     * Called by {@link GradientBuffers#take} before it serves a request: the input gradients the last reporting vertex
     * returned have been handed to DL4J by now, and those it added into another gradient are free.
     */
    static void beforeTake() {
        Step s = CURRENT.get();
        if (s != null) {
            s.resolvePending();
        }
    }

    /** The graph's structure as liveness needs it; built once per graph. */
    private static final class Plan {
        /** Vertex index of each reporting runtime (a layer, or the vertex itself). */
        final Map<Object, Integer> indexOf = new IdentityHashMap<>();
        /** Per vertex, the producing vertex of each input. */
        final int[][] producers;
        /** Per vertex: how many reporting consumers must finish before its output is dead; 0 = never by count. */
        final int[] readers;
        final GraphVertex[] vertices;

        Plan(ComputationGraph graph) {
            GraphVertex[] vertices = graph.getVertices();
            this.vertices = vertices;
            producers = new int[vertices.length][];
            readers = new int[vertices.length];
            for (GraphVertex v : vertices) {
                int i = v.getVertexIndex();
                if (reports(v)) {
                    indexOf.put(v.hasLayer() ? v.getLayer() : v, i);
                }
                VertexIndices[] in = v.getInputVertices();
                producers[i] = new int[in == null ? 0 : in.length];
                for (int k = 0; k < producers[i].length; k++) {
                    producers[i][k] = in[k].getVertexIndex();
                }
            }
            for (GraphVertex v : vertices) {
                if (!readsNothingBackward(graph, v) || v.getOutputVertices() == null) {
                    continue;
                }
                int count = 0;
                for (VertexIndices c : v.getOutputVertices()) {
                    GraphVertex consumer = vertices[c.getVertexIndex()];
                    if (reports(consumer)) {
                        count++;
                    } else if (!readsNothingBackward(graph, consumer)) {
                        count = 0;
                        break;
                    }
                }
                readers[v.getVertexIndex()] = count;
            }
        }

        private static boolean reports(GraphVertex v) {
            return v instanceof Reporter || (v.hasLayer() && v.getLayer() instanceof Reporter);
        }

        /** DL4J vertices whose backward pass reads neither their inputs nor their output. */
        private static boolean readsNothingBackward(ComputationGraph graph, GraphVertex v) {
            if (v instanceof MergeVertex) {
                return true;
            }
            if (v instanceof org.deeplearning4j.nn.graph.vertex.impl.ElementWiseVertex) {
                Object conf = graph.getConfiguration().getVertices().get(v.getVertexName());
                return conf instanceof ElementWiseVertex e && e.getOp() == ElementWiseVertex.Op.Add;
            }
            return false;
        }
    }

    /** One step's countdown. */
    private static final class Step {
        final Plan plan;
        final int[] remaining;
        /** The last reporting vertex, whose input gradients DL4J has not distributed yet (or -1). */
        int pendingVertex = -1;
        INDArray[] pendingGradients;

        Step(Plan plan) {
            this.plan = plan;
            this.remaining = Arrays.copyOf(plan.readers, plan.readers.length);
        }

        /**
         * Where an activation feeds several vertices, DL4J keeps the first input gradient that reaches it and adds the
         * others into that one ({@code existing.addi(next)}); the ones added are then read by nothing. A gradient none
         * of whose producers holds it (or a view of it) as its output gradient goes back to {@link GradientBuffers}.
         */
        void resolvePending() {
            if (pendingVertex < 0) {
                return;
            }
            int v = pendingVertex;
            INDArray[] grads = pendingGradients;
            pendingVertex = -1;
            pendingGradients = null;
            int[] producers = plan.producers[v];
            GraphVertex[] vertices = plan.vertices;
            for (INDArray g : grads) {
                if (g == null || g.isView()) {
                    continue;
                }
                boolean held = false;
                for (int p : producers) {
                    INDArray e = vertices[p].getEpsilon();
                    if (e != null && BufferReuse.root(e) == BufferReuse.root(g)) {
                        held = true;
                        break;
                    }
                }
                if (!held) {
                    GradientBuffers.giveBack(g);
                }
            }
        }

        void finished(Reporter runtime, INDArray output, INDArray[] inputs, INDArray[] inputGradients) {
            resolvePending();
            Integer v = plan.indexOf.get(runtime);
            if (v == null) {
                return;
            }
            if (inputGradients != null && inputGradients.length > 0) {
                pendingVertex = v;
                pendingGradients = inputGradients.clone();
            }
            if (output != null) {
                GradientBuffers.offerDead(output, inputs);
            }
            int[] producers = plan.producers[v];
            for (int k = 0; k < producers.length && k < inputs.length; k++) {
                int p = producers[k];
                if (remaining[p] > 0 && --remaining[p] == 0 && inputs[k] != null) {
                    GradientBuffers.offerDead(inputs[k]);
                }
            }
        }
    }
}
