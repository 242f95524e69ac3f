package io.segnet.core.runtime;

import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reused buffers for the activation gradients of the backward pass: segnet's layers and vertices take their input
 * gradient here ({@link #take}) and give their output gradient back once their own backward pass has read it
 * ({@link #giveBack}), so a training step allocates no gradient memory once the pool holds the sizes it needs.
 *
 * <p>Why: DL4J puts activation gradients in per-layer workspaces ({@code WS_LAYER_ACT_0..n}) that size themselves only
 * after as many cycles as the graph has vertices, and until then, and whenever an array does not fit, allocate
 * outside them ("spill") and free at the workspace's close. Measured on a DeepLabv3+ ResNet-50 training step at
 * 384x480, batch 2 (async-profiler's native-memory profile): 1.1 GB per step of 1-30 MB gradient buffers went through
 * {@code malloc} and {@code free}, of which at most 147 MB were live at once; glibc kept the freed memory in its
 * per-thread arenas (64 MB heaps it does not return while any chunk in them is used), and the process's peak resident
 * memory reached 4.2 GB against PyTorch's 2.2 GB. Returning the memory instead (a fixed mmap threshold, jemalloc, a
 * low trim threshold) brought it to 2.5-2.6 GB but made the step 1.6-2x slower: the pages had to be faulted in again.
 * Reusing them costs nothing.
 *
 * <p>Rules that make reuse safe: only buffers this pool handed out come back; a gradient comes back only when the
 * layer that received it as its output gradient has finished its backward pass, only if it is not a view, not in a
 * workspace, and shares no memory with the gradients that layer returns. DL4J's own vertices never give back, so a
 * buffer they hold is simply left to the garbage collector. Pools are per thread (a graph is trained by one thread);
 * each keeps at most {@link #maxBytes()} of free buffers and drops the longest unused first, and a free buffer no
 * request took during a whole step ({@link #reclaimAll()} to {@link #reclaimAll()}) is freed.
 *
 * <p><b>Dead activations.</b> During a training step, {@link ActivationLiveness} offers the memory of activations whose
 * last reader has finished its backward pass ({@link #offerDead}); float requests are served from that memory first
 * (best fit, 64-byte aligned, as arrays over non-owning buffers), as PyTorch's autograd frees saved tensors during
 * the backward pass and its allocator hands their memory to the gradients that follow. That memory is only valid until
 * the step ends: {@link #reclaimAll()} forgets it, and arrays served from it must not be read afterwards.
 */
public final class GradientBuffers {
    /** System property: bytes of free gradient buffers a thread keeps, at most (default 1 GiB). */
    public static final String MAX_BYTES_PROPERTY = "segnet.gradientBuffers.maxBytes";

    private static final ThreadLocal<Pool> POOL = ThreadLocal.withInitial(Pool::new);

    static {
        NativeHeap.configure();
    }

    private GradientBuffers() {
    }

    /** Bytes of free buffers a thread keeps, at most ({@value #MAX_BYTES_PROPERTY}, default 1 GiB). */
    public static long maxBytes() {
        return Long.getLong(MAX_BYTES_PROPERTY, 1L << 30);
    }

    /** A c-order array of {@code shape}, outside any workspace, not initialised: a reused buffer when there is one. */
    public static INDArray take(DataType type, long... shape) {
        ActivationLiveness.beforeTake();
        return POOL.get().take(type, shape);
    }

    /**
     * Gives {@code gradient}'s buffer back for reuse: call when the backward pass that received it has finished and
     * nothing reads it any more. Ignored unless this thread's pool handed the buffer out, the array is not a view, and
     * none of {@code stillUsed} (the gradients the caller returns) lives in the same buffer.
     */
    public static void giveBack(INDArray gradient, INDArray... stillUsed) {
        POOL.get().giveBack(gradient, stillUsed);
    }

    /**
     * Takes back every buffer this thread handed out that is still reachable: call after a training step, when no
     * activation gradient of it is read any more (DL4J's {@code fit} has returned). Catches the gradients nobody gave
     * back, e.g. the ones DL4J adds into another where a layer's output feeds several layers.
     */
    public static void reclaimAll() {
        POOL.get().reclaimAll();
    }

    /**
     * Offers the memory of {@code activation}, which nothing reads any more until the current training step ends, for
     * the activation gradients that follow. Ignored (returns false) unless the array is a whole buffer (not a view)
     * in one of DL4J's workspaces, and its memory overlaps neither {@code stillUsed} nor memory offered before in this
     * step. Only {@link ActivationLiveness} should call this: everything it offers is reused at once.
     */
    static boolean offerDead(INDArray activation, INDArray... stillUsed) {
        return POOL.get().dead.offer(activation, stillUsed);
    }

    /**
     * Bytes of gradients this thread served from dead activations in the last training step that served any (summed
     * over requests: memory given back and lent again counts again).
     */
    public static long deadBytesServedLastStep() {
        return POOL.get().dead.lentBytesLastStep;
    }

    /** Bytes of free buffers this thread's pool holds. */
    public static long pooledBytes() {
        return POOL.get().bytes;
    }

    /**
     * Frees this thread's free buffers now and forgets the ones handed out (the garbage collector frees those, and
     * {@link #reclaimAll()} no longer takes them back).
     */
    public static void clear() {
        Pool p = POOL.get();
        p.dead.forget();
        p.dead.lentBytesLastStep = 0;
        p.evictDownTo(0);
        p.handedOut.clear();
    }

    private static final class Pool {
        /** Free buffers, least recently given back first (identity: DataBuffer's equals compares contents). */
        private final Deque<Free> order = new ArrayDeque<>();
        private final Map<String, Deque<Free>> byKey = new HashMap<>();
        private final Map<DataBuffer, Free> freeIndex = new IdentityHashMap<>();
        /** Buffers handed out and not yet collected, by identity hash (weak, so a buffer never given back can go). */
        private final Map<Integer, List<WeakReference<DataBuffer>>> handedOut = new HashMap<>();
        private final ReferenceQueue<DataBuffer> collected = new ReferenceQueue<>();
        private final DeadMemory dead = new DeadMemory();
        private long bytes;
        /** Steps ended ({@link #reclaimAll()} calls); a free buffer records the step in which it became free. */
        private long step;

        INDArray take(DataType type, long[] shape) {
            INDArray fromDead = dead.take(type, shape);
            if (fromDead != null) {
                return fromDead;
            }
            Deque<Free> q = byKey.get(BufferReuse.key(type, shape));
            Free f = q == null ? null : q.pollLast();
            if (f != null) {
                if (q.isEmpty()) {
                    byKey.remove(f.key);
                }
                order.remove(f);
                freeIndex.remove(f.buffer);
                bytes -= BufferReuse.bytes(f.buffer);
                return BufferReuse.over(f.buffer, shape);
            }
            INDArray a = BufferReuse.detached(type, shape);
            register(a.data());
            return a;
        }

        void giveBack(INDArray gradient, INDArray[] stillUsed) {
            if (gradient == null || gradient.isView() || gradient.isAttached() || gradient.isEmpty()) {
                return;
            }
            DataBuffer b = gradient.data();
            for (INDArray s : stillUsed) {
                if (s != null && BufferReuse.root(s) == b) {
                    return;
                }
            }
            if (dead.isLent(b)) {
                dead.giveBack(b);
                return;
            }
            if (BufferReuse.root(gradient) != b || freeIndex.containsKey(b) || !isHandedOut(b)) {
                return;
            }
            addFree(b);
            evictDownTo(maxBytes());
        }

        void reclaimAll() {
            dead.forget();
            for (List<WeakReference<DataBuffer>> refs : handedOut.values()) {
                for (WeakReference<DataBuffer> r : refs) {
                    DataBuffer b = r.get();
                    if (b != null && !freeIndex.containsKey(b) && !b.wasClosed()) {
                        addFree(b);
                    }
                }
            }
            // A buffer free since before this step and not taken during it is not needed by the next step either (the
            // steps of a training run repeat); keeping it would only keep its pages resident.
            List<Free> idle = new ArrayList<>();
            for (Free f : order) {
                if (f.step < step) {
                    idle.add(f);
                }
            }
            for (Free f : idle) {
                evict(f);
            }
            step++;
            evictDownTo(maxBytes());
        }

        private void addFree(DataBuffer b) {
            Free f = new Free(b, BufferReuse.key(b), step);
            order.addLast(f);
            byKey.computeIfAbsent(f.key, x -> new ArrayDeque<>()).addLast(f);
            freeIndex.put(b, f);
            bytes += BufferReuse.bytes(b);
        }

        void evictDownTo(long limit) {
            while (bytes > limit && !order.isEmpty()) {
                evict(order.peekFirst());
            }
        }

        private void evict(Free f) {
            order.remove(f);
            Deque<Free> q = byKey.get(f.key);
            q.remove(f);
            if (q.isEmpty()) {
                byKey.remove(f.key);
            }
            freeIndex.remove(f.buffer);
            bytes -= BufferReuse.bytes(f.buffer);
            forget(f.buffer);
            if (f.buffer.closeable()) {
                f.buffer.close();
            }
        }

        /** A free buffer, its key and the step in which it became free; identity equality. */
        private static final class Free {
            final DataBuffer buffer;
            final String key;
            final long step;

            Free(DataBuffer buffer, String key, long step) {
                this.buffer = buffer;
                this.key = key;
                this.step = step;
            }
        }

        private void register(DataBuffer b) {
            expungeCollected();
            handedOut.computeIfAbsent(System.identityHashCode(b), k -> new ArrayList<>(1))
                    .add(new WeakReference<>(b, collected));
        }

        private boolean isHandedOut(DataBuffer b) {
            List<WeakReference<DataBuffer>> refs = handedOut.get(System.identityHashCode(b));
            if (refs != null) {
                for (WeakReference<DataBuffer> r : refs) {
                    if (r.get() == b) {
                        return true;
                    }
                }
            }
            return false;
        }

        private void forget(DataBuffer b) {
            List<WeakReference<DataBuffer>> refs = handedOut.get(System.identityHashCode(b));
            if (refs != null) {
                refs.removeIf(r -> r.get() == b || r.get() == null);
                if (refs.isEmpty()) {
                    handedOut.remove(System.identityHashCode(b));
                }
            }
        }

        private void expungeCollected() {
            if (collected.poll() == null) {
                return;
            }
            while (collected.poll() != null) {
                // drain
            }
            handedOut.values().removeIf(refs -> {
                refs.removeIf(r -> r.get() == null);
                return refs.isEmpty();
            });
        }
    }
}
