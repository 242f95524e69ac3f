package io.segnet.core.runtime;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.graph.vertex.impl.MergeVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * A {@link ComputationGraph}'s forward pass in inference mode that holds only the activations still needed, as
 * PyTorch does under {@code torch.no_grad()}, and reuses their memory from one call to the next: each vertex's output
 * goes back to a per-graph pool as soon as the last vertex that reads it has run, and only the vertices the requested
 * outputs depend on run (PSPNet's auxiliary head, for one, does not).
 *
 * <p>Why not {@link ComputationGraph#output}: measured on DeepLabv3+ ResNet-50 at 512x512 (one image, batch norm
 * folded), the process's resident memory grew by 130-250 MB per call over four calls, to 1.56 GB against PyTorch's
 * 0.76 GB for the same pass. Two causes: arrays freed only when the garbage collector finds their Java objects, which
 * a small Java heap does seldom; and glibc's allocator, which after the first large buffer is freed raises its mmap
 * threshold (up to 32 MB) and from then on serves activation-sized buffers from its heap, where freed memory is kept
 * rather than returned (a {@code malloc_trim} after four calls released 850 MB). Freeing each activation as soon as
 * it is dead is not enough on its own (the same growth); reusing the buffers is. With a fixed mmap threshold instead
 * ({@code MALLOC_MMAP_THRESHOLD_}), every call faulted in fresh pages and took 3-4 times as long.
 *
 * <p>How: the vertices run in the graph's topological order without workspaces. Each vertex allocates its output
 * ({@link ArrayType#ACTIVATIONS}, and the copies DL4J's {@code ElementWiseVertex} sums start from) through a workspace
 * manager that hands out a pooled buffer of exactly that size when there is one; a {@code MergeVertex}'s
 * concatenation, which DL4J allocates outside the manager, is written into a pooled buffer here (measured on U-Net
 * base 16, 32 images of 64x84: 175 ms per call with a fresh concatenation each time, 74 ms pooled). Each buffer has
 * a count of the arrays still to be read that live in it (views and arrays a vertex passes through share their
 * source's buffer); when it reaches zero, a pooled buffer goes back to the pool and any other is closed
 * ({@link INDArray#close()}). The graph's inputs and the requested outputs are never reused or closed:
 * the caller owns them, and may give outputs back once read ({@link #recycle}). After a call the pool keeps the
 * buffers that call used, so repeated calls at one size allocate nothing but the outputs not given back, and a change
 * of size frees the buffers of the old one.
 *
 * <p>Outputs equal {@code graph.output(outputs, false, inputs, null)} bit for bit (the same vertices compute the same
 * values; only where the arrays live differs). Like DL4J's, a call holds the graph's lock: a graph is not thread-safe.
 */
public final class GraphInference {
    /** Buffers for the next call, per graph; weak, so a graph that is dropped takes its pool with it. */
    private static final Map<ComputationGraph, Pool> POOLS = Collections.synchronizedMap(new WeakHashMap<>());

    static {
        NativeHeap.configure();
    }

    private GraphInference() {
    }

    /**
     * The activations of {@code outputs} (vertex names) for the graph's inputs {@code inputs} (in the graph's input
     * order), in inference mode, detached from any workspace.
     *
     * @throws IllegalArgumentException if the number of inputs is wrong or an output is not a vertex of the graph
     */
    public static INDArray[] output(ComputationGraph graph, List<String> outputs, INDArray... inputs) {
        if (inputs.length != graph.getNumInputArrays()) {
            throw new IllegalArgumentException("the graph has " + graph.getNumInputArrays() + " inputs, got "
                    + inputs.length);
        }
        synchronized (graph) {
            Pool pool = POOLS.computeIfAbsent(graph, g -> new Pool());
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                return run(graph, outputs, inputs, pool);
            } finally {
                pool.endOfCall();
            }
        }
    }

    /**
     * Gives arrays that {@link #output} returned for {@code graph} back to its pool, so that the next call writes into
     * their memory instead of new memory; the caller must not use them afterwards. Like {@code torch.no_grad()} code
     * that drops its output before the next call: the C allocator then reuses the freed block, whereas segnet's
     * outputs are mapped on their own ({@link NativeHeap#configure()}) and fresh pages cost a page fault each (measured
     * on one 2-core VM: 11.6 us per 4 KiB page, 15 ms for FCN-8s's 5.5 MB of logits at 256x256, a tenth of the
     * whole pass).
     *
     * @return for each array, whether it went back to the pool; an array that did not (a view, a copy, an output of
     *         another graph or of an earlier pool) is left as it is
     */
    public static boolean[] recycle(ComputationGraph graph, INDArray... results) {
        boolean[] taken = new boolean[results.length];
        synchronized (graph) {
            Pool pool = POOLS.get(graph);
            for (int i = 0; i < results.length; i++) {
                taken[i] = pool != null && pool.takeBack(results[i]);
            }
        }
        return taken;
    }

    /** Frees the buffers kept for {@code graph}'s next call (they are also freed when the graph is collected). */
    public static void release(ComputationGraph graph) {
        synchronized (graph) {
            Pool pool = POOLS.remove(graph);
            if (pool != null) {
                pool.closeAll();
            }
        }
    }

    /** Bytes the pool of {@code graph} holds between calls (for tests and memory reports). */
    public static long pooledBytes(ComputationGraph graph) {
        synchronized (graph) {
            Pool pool = POOLS.get(graph);
            return pool == null ? 0 : pool.bytes();
        }
    }

    /** Lengths (elements) of the buffers the pool of {@code graph} holds between calls, for tests. */
    static List<Long> pooledLengths(ComputationGraph graph) {
        synchronized (graph) {
            Pool pool = POOLS.get(graph);
            List<Long> lengths = new ArrayList<>();
            if (pool != null) {
                pool.free.values().forEach(q -> q.forEach(b -> lengths.add(b.length())));
            }
            return lengths;
        }
    }

    private static INDArray[] run(ComputationGraph graph, List<String> outputs, INDArray[] inputs, Pool pool) {
        GraphVertex[] vertices = graph.getVertices();
        int[] wanted = new int[outputs.size()];
        for (int i = 0; i < wanted.length; i++) {
            GraphVertex v = graph.getVertex(outputs.get(i));
            if (v == null) {
                throw new IllegalArgumentException("no vertex '" + outputs.get(i) + "' in the graph");
            }
            wanted[i] = v.getVertexIndex();
        }
        boolean[] needed = neededVertices(vertices, wanted);
        // Readers still to run, per vertex output: edges into needed vertices.
        int[] readers = new int[vertices.length];
        for (GraphVertex v : vertices) {
            if (needed[v.getVertexIndex()] && !v.isInputVertex()) {
                for (VertexIndices in : v.getInputVertices()) {
                    readers[in.getVertexIndex()]++;
                }
            }
        }
        boolean[] kept = new boolean[vertices.length];
        for (int w : wanted) {
            kept[w] = true;
        }
        INDArray[] activations = new INDArray[vertices.length];
        Buffers buffers = new Buffers(pool);
        for (INDArray x : inputs) {
            buffers.pin(x);
        }
        PooledWorkspaceMgr mgr = new PooledWorkspaceMgr(pool);
        try {
            for (int index : graph.topologicalSortOrder()) {
                if (!needed[index]) {
                    continue;
                }
                GraphVertex v = vertices[index];
                INDArray out;
                if (v.isInputVertex()) {
                    out = inputs[index];
                } else {
                    VertexIndices[] in = v.getInputVertices();
                    for (int k = 0; k < in.length; k++) {
                        v.setInput(k, activations[in[k].getVertexIndex()], mgr);
                    }
                    out = v instanceof MergeVertex m ? Concatenation.of(graph, m, pool) : null;
                    if (out == null) {
                        out = v.doForward(false, mgr);
                    }
                    v.clear();
                }
                activations[index] = out;
                if (kept[index]) {
                    buffers.pin(out);
                } else {
                    buffers.hold(out);
                }
                if (!v.isInputVertex()) {
                    for (VertexIndices in : v.getInputVertices()) {
                        int u = in.getVertexIndex();
                        if (--readers[u] == 0) {
                            buffers.release(activations[u]);
                            activations[u] = null;
                        }
                    }
                }
            }
        } catch (RuntimeException | Error e) {
            for (GraphVertex v : vertices) {
                v.clear();
            }
            throw e;
        }
        INDArray[] result = new INDArray[wanted.length];
        for (int i = 0; i < wanted.length; i++) {
            result[i] = activations[wanted[i]];
        }
        return result;
    }

    /** The vertices {@code wanted} depends on, themselves included, by vertex index. */
    private static boolean[] neededVertices(GraphVertex[] vertices, int[] wanted) {
        boolean[] needed = new boolean[vertices.length];
        Deque<Integer> todo = new ArrayDeque<>();
        for (int w : wanted) {
            todo.push(w);
        }
        while (!todo.isEmpty()) {
            int i = todo.pop();
            if (needed[i]) {
                continue;
            }
            needed[i] = true;
            VertexIndices[] in = vertices[i].getInputVertices();
            if (!vertices[i].isInputVertex() && in != null) {
                Arrays.stream(in).forEach(vi -> todo.push(vi.getVertexIndex()));
            }
        }
        return needed;
    }

    /**
     * Free activation buffers by data type and length. Buffers it handed out are "ours"; only those come back. At the
     * end of a call, buffers that the call did not take again are closed.
     */
    private static final class Pool {
        /** Outputs remembered for {@link #takeBack}: several calls' worth of every model's outputs. */
        private static final int MAX_HANDED_OUT = 64;
        private final Map<String, Deque<DataBuffer>> free = new HashMap<>();
        private final Set<DataBuffer> ours = Collections.newSetFromMap(new IdentityHashMap<>());
        private final Set<DataBuffer> usedThisCall = Collections.newSetFromMap(new IdentityHashMap<>());
        /**
         * Native addresses of buffers handed to callers as outputs (and their lengths), most recent last, for
         * {@link #takeBack}; addresses rather than the buffers, so that the books keep no caller's memory alive.
         */
        private final Map<Long, Long> handedOut = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
                return size() > MAX_HANDED_OUT;
            }
        };

        INDArray take(DataType type, long[] shape) {
            Deque<DataBuffer> q = free.get(BufferReuse.key(type, shape));
            DataBuffer b = q == null ? null : q.poll();
            INDArray a;
            if (b != null) {
                a = BufferReuse.over(b, shape);
            } else {
                a = BufferReuse.detached(type, shape);
                b = a.data();
                ours.add(b);
            }
            usedThisCall.add(b);
            return a;
        }

        boolean isOurs(DataBuffer b) {
            return ours.contains(b);
        }

        void giveBack(DataBuffer b) {
            free.computeIfAbsent(BufferReuse.key(b), k -> new ArrayDeque<>()).push(b);
        }

        /**
         * Takes back an output array of an earlier call if it spans a whole buffer that this pool handed out (and
         * not yet taken back); it is reused from the next call on.
         */
        boolean takeBack(INDArray a) {
            if (a == null || a.isView() || a.isEmpty() || a.ordering() != 'c' || a.data() == null
                    || a.data().length() != a.length() || a.data().wasClosed()) {
                return false;
            }
            DataBuffer b = a.data();
            long address = b.addressPointer().address();
            Long length = handedOut.get(address);
            if (length == null || length != b.length()) {
                return false;
            }
            handedOut.remove(address);
            ours.add(b);
            giveBack(b);
            return true;
        }

        /** Hands-out that never came back (outputs the caller owns) leave the pool's books. */
        void forget(DataBuffer b) {
            ours.remove(b);
        }

        void endOfCall() {
            for (Deque<DataBuffer> q : free.values()) {
                q.removeIf(b -> {
                    if (usedThisCall.contains(b)) {
                        return false;
                    }
                    ours.remove(b);
                    if (b.closeable()) {
                        b.close();
                    }
                    return true;
                });
            }
            free.values().removeIf(Deque::isEmpty);
            // Buffers handed out this call and not given back are the caller's now.
            Set<DataBuffer> pooled = Collections.newSetFromMap(new IdentityHashMap<>());
            free.values().forEach(pooled::addAll);
            for (DataBuffer b : usedThisCall) {
                if (!pooled.contains(b) && !b.wasClosed()) {
                    handedOut.put(b.addressPointer().address(), b.length());
                }
            }
            ours.retainAll(pooled);
            usedThisCall.clear();
        }

        /** Closes every free buffer. */
        void closeAll() {
            usedThisCall.clear();
            endOfCall();
        }

        long bytes() {
            long n = 0;
            for (Deque<DataBuffer> q : free.values()) {
                for (DataBuffer b : q) {
                    n += BufferReuse.bytes(b);
                }
            }
            return n;
        }

    }

    /** No workspaces; vertex outputs ({@link ArrayType#ACTIVATIONS}, c order) come from the pool. */
    private static final class PooledWorkspaceMgr extends LayerWorkspaceMgr {
        private final Pool pool;

        PooledWorkspaceMgr(Pool pool) {
            super(EnumSet.allOf(ArrayType.class), new HashMap<>(), new HashMap<>());
            this.pool = pool;
        }

        @Override
        public INDArray createUninitialized(ArrayType type, DataType dataType, long[] shape, char order) {
            if (type == ArrayType.ACTIVATIONS && order == 'c' && shape.length > 0) {
                return pool.take(dataType, shape);
            }
            return super.createUninitialized(type, dataType, shape, order);
        }

        /** {@code ElementWiseVertex}'s sums start from such a copy. */
        @Override
        public INDArray dup(ArrayType type, INDArray toDup, char order) {
            if (type == ArrayType.ACTIVATIONS && order == 'c' && toDup.rank() > 0 && !toDup.isEmpty()) {
                return pool.take(toDup.dataType(), toDup.shape()).assign(toDup);
            }
            return super.dup(type, toDup, order);
        }

        @Override
        public INDArray create(ArrayType type, DataType dataType, long[] shape, char order) {
            if (type == ArrayType.ACTIVATIONS && order == 'c' && shape.length > 0) {
                return pool.take(dataType, shape).assign(0);
            }
            return super.create(type, dataType, shape, order);
        }
    }

    /**
     * A {@link MergeVertex}'s concatenation written into a pooled buffer: DL4J's {@code doForward} concatenates with
     * {@code Nd4j.concat} outside the workspace manager, so its output (U-Net's skip merges, the largest activations of
     * the decoder) would be a fresh allocation every call, left to the garbage collector.
     */
    private static final class Concatenation {
        private Concatenation() {
        }

        /**
         * The vertex's output in a pooled buffer, or null where DL4J's own path should run (one input, mixed types or
         * ranks).
         */
        static INDArray of(ComputationGraph graph, MergeVertex v, Pool pool) {
            INDArray[] in = v.getInputs();
            Object conf = graph.getConfiguration().getVertices().get(v.getVertexName());
            if (in == null || in.length < 2 || !(conf instanceof org.deeplearning4j.nn.conf.graph.MergeVertex merge)) {
                return null;
            }
            int axis = merge.getMergeAxis();
            int rank = in[0].rank();
            if (axis < 0 || axis >= rank) {
                return null;
            }
            long[] shape = in[0].shape().clone();
            for (int i = 1; i < in.length; i++) {
                if (in[i].rank() != rank || in[i].dataType() != in[0].dataType()) {
                    return null;
                }
                for (int d = 0; d < rank; d++) {
                    if (d != axis && in[i].size(d) != shape[d]) {
                        return null;
                    }
                }
                shape[axis] += in[i].size(axis);
            }
            INDArray out = pool.take(in[0].dataType(), shape);
            Nd4j.exec(DynamicCustomOp.builder("concat").addInputs(in).addOutputs(out).addIntegerArguments(axis)
                    .build());
            return out;
        }
    }

    /**
     * Live arrays per underlying buffer: when no held array lives in a buffer any more, it goes back to the pool (or
     * is closed if the pool did not hand it out), unless it is pinned (an input or a requested output).
     */
    private static final class Buffers {
        private final Pool pool;
        private final Map<DataBuffer, Integer> live = new IdentityHashMap<>();
        private final Map<DataBuffer, INDArray> owner = new IdentityHashMap<>();
        private final Set<DataBuffer> pinned = Collections.newSetFromMap(new IdentityHashMap<>());

        Buffers(Pool pool) {
            this.pool = pool;
        }

        void pin(INDArray a) {
            DataBuffer b = BufferReuse.root(a);
            if (b != null) {
                pinned.add(b);
                pool.forget(b);
            }
        }

        void hold(INDArray a) {
            DataBuffer b = BufferReuse.root(a);
            if (b == null) {
                return;
            }
            live.merge(b, 1, Integer::sum);
            if (!a.isView()) {
                owner.putIfAbsent(b, a);
            }
        }

        void release(INDArray a) {
            DataBuffer b = BufferReuse.root(a);
            if (b == null || !live.containsKey(b)) {
                return;
            }
            if (live.merge(b, -1, Integer::sum) > 0) {
                return;
            }
            live.remove(b);
            INDArray o = owner.remove(b);
            if (pinned.contains(b)) {
                return;
            }
            if (pool.isOurs(b)) {
                pool.giveBack(b);
            } else if (o != null && o.closeable()) {
                o.close();
            }
        }
    }
}
