package io.segnet.core.engine.dnnl;

import io.segnet.core.engine.EngineSelection;
import io.segnet.core.engine.kernels.Buf;

import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.dnnl.dnnl_version_t;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;

import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * What the oneDNN kernels of this package ({@link DnnlConvOps}, {@link DnnlBatchNormOps}) share: the binding, one CPU
 * engine and one stream for the process, the lock that serialises their use, one native scratch arena, and small
 * helpers (status checks, memory descriptors, wrapping an {@link INDArray}'s memory).
 *
 * <p>All primitive creation and execution, and all use of {@link Arena}, happen under {@link #LOCK}.
 */
final class Dnnl {
    private Dnnl() {
    }

    /** Why loading failed, or null if the binding is usable. */
    static final Throwable LOAD_FAILURE;
    static final dnnl_engine ENGINE;
    static final dnnl_stream STREAM;

    /** Guards the engine's stream, the arena and the kernels' primitive caches. */
    static final Object LOCK = new Object();

    static {
        Throwable failure = null;
        dnnl_engine engine = null;
        dnnl_stream stream = null;
        try {
            if (EngineSelection.portableRequested()) {
                throw new PortableEngineRequested();
            }
            Loader.load(dnnl.class);
            PointerPointer<Pointer> out = new PointerPointer<>(1);
            check(dnnl_engine_create(out, dnnl_cpu, 0), "engine creation");
            engine = new dnnl_engine(out.get(0));
            check(dnnl_stream_create(out, engine, dnnl_stream_default_flags), "stream creation");
            stream = new dnnl_stream(out.get(0));
        } catch (Throwable t) {
            failure = t;
            engine = null;
            stream = null;
            if (!(t instanceof PortableEngineRequested)) {
                LoggerFactory.getLogger(Dnnl.class).warn("segnet uses its portable engine (libnd4j's ops and segnet's"
                        + " kernels, slower than oneDNN): oneDNN's binding did not load on {}: {}",
                        System.getProperty("os.name") + " " + System.getProperty("os.arch"), t.toString());
            }
        }
        LOAD_FAILURE = failure;
        ENGINE = engine;
        STREAM = stream;
    }

    static boolean available() {
        return LOAD_FAILURE == null;
    }

    /** The reason oneDNN is not used when {@link EngineSelection#PROPERTY} asks for the portable engine. */
    static final class PortableEngineRequested extends Exception {
        PortableEngineRequested() {
            super("the portable engine was selected with -D" + EngineSelection.PROPERTY + "=portable");
        }
    }

    /**
     * One line naming the engine in use: oneDNN with its version, or the portable engine and why.
     */
    static String describe() {
        if (LOAD_FAILURE == null) {
            dnnl_version_t v = dnnl_version();
            return "oneDNN " + v.major() + "." + v.minor() + "." + v.patch() + " (called directly)";
        }
        return "portable (libnd4j ops and segnet kernels): " + LOAD_FAILURE.getMessage();
    }

    static void requireAvailable() {
        if (LOAD_FAILURE != null) {
            throw new IllegalStateException("oneDNN's binding (org.bytedeco:dnnl) did not load", LOAD_FAILURE);
        }
    }

    static void check(int status, String what) {
        if (status != dnnl_success) {
            throw new IllegalStateException("oneDNN " + what + " failed: " + statusName(status));
        }
    }

    static String statusName(int s) {
        return switch (s) {
            case 1 -> "out of memory";
            case 2 -> "invalid arguments";
            case 3 -> "unimplemented";
            case 4 -> "iterator ends";
            case 5 -> "runtime error";
            case 6 -> "not required";
            default -> "status " + s;
        };
    }

    /** oneDNN's name for the implementation behind {@code pd}, e.g. {@code "jit:avx512_common"}. */
    static String implName(dnnl_primitive_desc pd) {
        PointerPointer<BytePointer> info = new PointerPointer<>(1);
        if (dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, info) != dnnl_success) {
            return "?";
        }
        BytePointer s = info.get(BytePointer.class, 0);
        return s == null || s.isNull() ? "?" : s.getString();
    }

    /** The descriptor of {@code what} in {@code pd} (owned by {@code pd}), or null if it has none. */
    static dnnl_memory_desc_t query(dnnl_primitive_desc pd, int what) {
        dnnl_memory_desc_t d = dnnl_primitive_desc_query_md(pd, what, 0);
        return d == null || d.isNull() ? null : d;
    }

    /** A plain f32 memory descriptor in format {@code tag}. */
    static dnnl_memory_desc_t md(int tag, long... dims) {
        dnnl_memory_desc_t d = new dnnl_memory_desc_t();
        check(dnnl_memory_desc_init_by_tag(d, dims.length, new LongPointer(dims), dnnl_f32, tag),
                "memory descriptor " + Arrays.toString(dims));
        return d;
    }

    /** A memory object for {@code d} without a buffer (set per call). */
    static dnnl_memory memory(dnnl_memory_desc_t d) {
        PointerPointer<Pointer> out = new PointerPointer<>(1);
        check(dnnl_memory_create(out, d, ENGINE, null), "memory creation");
        return new dnnl_memory(out.get(0));
    }

    static long align(long bytes) {
        return (bytes + 63) & ~63L;
    }

    /** One 64-byte-aligned native buffer for reordered copies and scratchpads, grown as needed (under LOCK). */
    static final class Arena {
        private static Pointer block;
        private static long capacity;

        private Arena() {
        }

        /** Bytes the arena holds now (it grows to the largest call and is kept). */
        static long capacity() {
            synchronized (LOCK) {
                return capacity;
            }
        }

        /** The (aligned) address of a block of at least {@code bytes} bytes, valid until the next call. */
        static long reserve(long bytes) {
            if (bytes > capacity) {
                if (block != null) {
                    Pointer.free(block);
                }
                long size = Math.max(bytes, capacity + capacity / 2);
                block = Pointer.malloc(size + 64);
                if (block == null || block.isNull()) {
                    block = null;
                    capacity = 0;
                    throw new OutOfMemoryError("oneDNN kernels: cannot allocate " + size + " bytes of scratch memory");
                }
                capacity = size;
            }
            return block == null ? 0 : align(block.address());
        }
    }

    /** A reusable pointer to a raw address, to hand buffers to oneDNN without allocating. */
    static final class Addr extends Pointer {
        Addr at(long a) {
            address = a;
            return this;
        }
    }

    /** Address of the first element of a contiguous array (a view's data pointer already includes its offset). */
    static long address(INDArray a) {
        Pointer p = a.data().addressPointer();
        return p.address() + p.position() * p.sizeof();
    }

    /** {@code a} if oneDNN can read it in place (contiguous, 'c' order), else a contiguous copy. */
    static INDArray input(INDArray a) {
        return Buf.isContiguous(a) ? a : a.dup('c');
    }

    /** {@code a} if oneDNN can write it in place, else a new contiguous array to copy back from. */
    static INDArray output(INDArray a) {
        return Buf.isContiguous(a) ? a : Nd4j.createUninitialized(a.dataType(), a.shape(), 'c');
    }

    /**
     * After a primitive wrote {@code written} (what {@link #output} gave for {@code target}), copies it into
     * {@code target} if it was a stand-in; nothing if either is null or they are the same array.
     */
    static void settle(INDArray written, INDArray target) {
        if (written != null && target != null && written != target) {
            target.assign(written);
        }
    }

    static void checkShape(String name, INDArray a, long... shape) {
        if (!Arrays.equals(a.shape(), shape)) {
            throw new IllegalArgumentException(name + " must have shape " + Arrays.toString(shape) + ", got "
                    + Arrays.toString(a.shape()));
        }
        if (a.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException(name + " must be FLOAT, got " + a.dataType());
        }
    }

    static void checkLength(String name, INDArray a, long length) {
        if (a != null && (a.length() != length || a.dataType() != DataType.FLOAT)) {
            throw new IllegalArgumentException(name + " must be FLOAT with " + length + " elements, got "
                    + a.dataType() + " " + Arrays.toString(a.shape()));
        }
    }

    /**
     * The primitive descriptor of operation descriptor {@code op} (a {@code dnnl_*_desc_t}) with the user-managed
     * scratchpad every plan of this package uses, after {@code configure} (null for nothing) has set further attributes
     * such as post-ops.
     *
     * @param hint the forward pass's descriptor for a backward pass, else null
     * @param what what is created, for the error message
     */
    static dnnl_primitive_desc primitiveDesc(Pointer op, dnnl_primitive_desc hint, String what,
                                             Consumer<dnnl_primitive_attr> configure) {
        PointerPointer<Pointer> out = new PointerPointer<>(1);
        check(dnnl_primitive_attr_create(out), "attribute creation");
        dnnl_primitive_attr attr = new dnnl_primitive_attr(out.get(0));
        try {
            check(dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user), "scratchpad mode");
            if (configure != null) {
                configure.accept(attr);
            }
            check(dnnl_primitive_desc_create(out, new const_dnnl_op_desc_t(op), attr, ENGINE, hint),
                    what + " primitive descriptor");
            return new dnnl_primitive_desc(out.get(0));
        } finally {
            dnnl_primitive_attr_destroy(attr);
        }
    }

    /**
     * The descriptor {@code withLayout} gives for plain {@code nchw} data if oneDNN runs a JIT kernel for it, else the
     * one for {@code nChw16c} if that gets a JIT kernel (the caller reorders to and from it), else the plain one.
     * oneDNN 2.5's JIT pooling takes plain planes only up to some size (measured: 64x64 yes, 128x128 not), and its
     * plain fallback is a scalar loop (16 ms for 64 planes of 256x256 against 1 ms with the two reorders).
     */
    static dnnl_primitive_desc jitPlainOrBlocked(IntFunction<dnnl_primitive_desc> withLayout) {
        dnnl_primitive_desc plain = withLayout.apply(dnnl_nchw);
        if (implName(plain).startsWith("jit")) {
            return plain;
        }
        dnnl_primitive_desc blocked = withLayout.apply(dnnl_nChw16c);
        if (implName(blocked).startsWith("jit")) {
            dnnl_primitive_desc_destroy(plain);
            return blocked;
        }
        dnnl_primitive_desc_destroy(blocked);
        return plain;
    }

    /**
     * Plans by key, the least recently used destroyed beyond {@code max}; used under {@link #LOCK}.
     *
     * @param <K> the key (shapes and settings)
     * @param <P> the plan
     */
    static final class PlanCache<K, P extends PrimitiveSequence> {
        private final Map<K, P> plans;

        PlanCache(int max) {
            plans = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<K, P> eldest) {
                    if (size() > max) {
                        eldest.getValue().destroy();
                        return true;
                    }
                    return false;
                }
            };
        }

        /** Destroys and forgets every plan. */
        void clear() {
            plans.values().forEach(PrimitiveSequence::destroy);
            plans.clear();
        }

        /** The plan of {@code key}: cached, or a {@code create}d one after {@code build} (destroyed if that fails). */
        P get(K key, Supplier<P> create, BiConsumer<P, K> build) {
            P p = plans.get(key);
            if (p == null) {
                p = create.get();
                try {
                    build.accept(p, key);
                } catch (RuntimeException | Error e) {
                    p.destroy();
                    throw e;
                }
                plans.put(key, p);
            }
            return p;
        }
    }

    /**
     * A sequence of oneDNN primitives (reorders and an operation's passes) over the caller's arrays, one memory object
     * per role, and internal buffers at fixed offsets of the shared {@link Arena}: built once per shape and cached by
     * {@link DnnlConvOps} and {@link DnnlBatchNormOps}, bound to the arrays of each call, then run.
     */
    abstract static class PrimitiveSequence {
        final dnnl_memory[] user;
        final dnnl_memory_desc_t[] userMd;
        final List<dnnl_primitive> prims = new ArrayList<>();
        final List<dnnl_exec_arg_t> args = new ArrayList<>();
        final List<Integer> nargs = new ArrayList<>();
        final List<dnnl_memory> internal = new ArrayList<>();
        /** Arena range {offset, bytes} of each internal buffer (same index as {@link #internal}). */
        final List<long[]> ranges = new ArrayList<>();
        final List<dnnl_primitive_desc> pds = new ArrayList<>();
        /** Scratchpad memory objects (one per primitive that needs one), all at offset {@link #internalBytes}. */
        final List<dnnl_memory> scratch = new ArrayList<>();
        final Addr addr = new Addr();
        /** The arrays bound for the current call: keeps contiguous copies reachable until oneDNN has run. */
        final INDArray[] bound;
        long internalBytes;
        /** What {@link #internalBytes} would be if no internal buffer took the place of a dead one (for tests). */
        long internalBytesWithoutReuse;
        long scratchBytes;
        /** The implementations chosen, as "name=impl" for each named primitive. */
        String impl = "";

        private final List<Object[]> reorderedInputs = new ArrayList<>();
        private final List<Runnable> pendingOutputs = new ArrayList<>();
        /** Arena ranges {offset, bytes} of internal outputs not yet flushed, and of flushed (dead) ones. */
        private final List<long[]> pendingRanges = new ArrayList<>();
        private final List<long[]> freeRanges = new ArrayList<>();

        PrimitiveSequence(int roles) {
            user = new dnnl_memory[roles];
            userMd = new dnnl_memory_desc_t[roles];
            bound = new INDArray[roles];
        }

        dnnl_primitive_desc keep(dnnl_primitive_desc pd) {
            pds.add(pd);
            return pd;
        }

        /** The memory holding role {@code r} in format {@code want}: the caller's array, or a reordered copy. */
        dnnl_memory input(int r, dnnl_memory_desc_t want) {
            if (dnnl_memory_desc_equal(userMd[r], want) != 0) {
                return user[r];
            }
            for (Object[] e : reorderedInputs) {
                if ((Integer) e[0] == r && dnnl_memory_desc_equal((dnnl_memory_desc_t) e[1], want) != 0) {
                    return (dnnl_memory) e[2];
                }
            }
            dnnl_memory m = internal(want);
            reorder(userMd[r], user[r], want, m);
            reorderedInputs.add(new Object[] {r, want, m, ranges.get(ranges.size() - 1)});
            return m;
        }

        /** The memory a primitive writes role {@code r} to; if internal, a reorder follows at {@link #flushOutputs}. */
        dnnl_memory output(int r, dnnl_memory_desc_t have) {
            if (dnnl_memory_desc_equal(userMd[r], have) != 0) {
                return user[r];
            }
            dnnl_memory m = internal(have);
            pendingOutputs.add(() -> reorder(have, m, userMd[r], user[r]));
            pendingRanges.add(ranges.get(ranges.size() - 1));
            return m;
        }

        /**
         * Appends the reorders of the pending outputs to the caller's arrays. The blocked copies they read are dead
         * after that (primitives run in order), so later internal buffers may take their place in the arena.
         */
        void flushOutputs() {
            pendingOutputs.forEach(Runnable::run);
            pendingOutputs.clear();
            freeRanges.addAll(pendingRanges);
            pendingRanges.clear();
        }

        /**
         * Declares the reordered copies of input role {@code r} dead: no primitive added later reads them (a later
         * {@link #input} of the role reorders again), so later internal buffers may take their place. (Measured on
         * FCN-8s's fc6, a 7x7 convolution from 512 to 4096 channels: the weight pass's blocked weight gradient takes
         * the place of the data pass's blocked weights, 398 MB of arena instead of 790 MB.)
         */
        void releaseInput(int r) {
            reorderedInputs.removeIf(e -> {
                if ((Integer) e[0] != r) {
                    return false;
                }
                freeRanges.add((long[]) e[3]);
                return true;
            });
        }

        /**
         * A memory object for an internal buffer of {@code d}: in the first range freed by {@link #flushOutputs} that
         * is large enough, else at the end of the internal buffers. (Measured on a U-Net's full-resolution convolution
         * backward pass, 128 to 64 channels at 384x480, batch 2: the blocked source copy for the weight gradient takes
         * the place of the blocked input gradient, 270 MB of arena instead of 450 MB.)
         */
        dnnl_memory internal(dnnl_memory_desc_t d) {
            dnnl_memory m = memory(d);
            long size = align(dnnl_memory_desc_get_size(d));
            internal.add(m);
            internalBytesWithoutReuse += size;
            for (int i = 0; i < freeRanges.size(); i++) {
                long[] range = freeRanges.get(i);
                if (range[1] >= size) {
                    ranges.add(new long[] {range[0], size});
                    if (range[1] == size) {
                        freeRanges.remove(i);
                    } else {
                        freeRanges.set(i, new long[] {range[0] + size, range[1] - size});
                    }
                    return m;
                }
            }
            ranges.add(new long[] {internalBytes, size});
            internalBytes += size;
            return m;
        }

        void reorder(dnnl_memory_desc_t fromMd, dnnl_memory from, dnnl_memory_desc_t toMd, dnnl_memory to) {
            PointerPointer<Pointer> out = new PointerPointer<>(1);
            check(dnnl_primitive_attr_create(out), "attribute creation");
            dnnl_primitive_attr attr = new dnnl_primitive_attr(out.get(0));
            try {
                check(dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user), "scratchpad mode");
                check(dnnl_reorder_primitive_desc_create(out, fromMd, ENGINE, toMd, ENGINE, attr),
                        "reorder descriptor");
            } finally {
                dnnl_primitive_attr_destroy(attr);
            }
            dnnl_primitive_desc pd = keep(new dnnl_primitive_desc(out.get(0)));
            add(pd, null, DNNL_ARG_FROM, from, DNNL_ARG_TO, to);
        }

        /** Appends a primitive for {@code pd} with the given (argument id, memory) pairs; null memories are skipped. */
        void add(dnnl_primitive_desc pd, String name, Object... pairs) {
            PointerPointer<Pointer> out = new PointerPointer<>(1);
            check(dnnl_primitive_create(out, pd), "primitive creation");
            prims.add(new dnnl_primitive(out.get(0)));
            List<Object[]> list = new ArrayList<>();
            for (int i = 0; i < pairs.length; i += 2) {
                if (pairs[i + 1] != null) {
                    list.add(new Object[] {pairs[i], pairs[i + 1]});
                }
            }
            dnnl_memory_desc_t sp = query(pd, dnnl_query_scratchpad_md);
            long spBytes = sp == null ? 0 : dnnl_memory_desc_get_size(sp);
            if (spBytes > 0) {
                dnnl_memory m = memory(sp);
                scratch.add(m);
                scratchBytes = Math.max(scratchBytes, align(spBytes));
                list.add(new Object[] {DNNL_ARG_SCRATCHPAD, m});
            }
            dnnl_exec_arg_t a = new dnnl_exec_arg_t(list.size());
            for (int i = 0; i < list.size(); i++) {
                a.position(i).arg((Integer) list.get(i)[0]).memory((dnnl_memory) list.get(i)[1]);
            }
            args.add(a.position(0));
            nargs.add(list.size());
            if (name != null) {
                impl = (impl.isEmpty() ? "" : impl + " ") + name + "=" + implName(pd);
            }
        }

        /** Points role {@code r}'s memory at {@code a}'s buffer (ignored if {@code a} or the role is absent). */
        void bind(int r, INDArray a) {
            if (a != null && user[r] != null) {
                check(dnnl_memory_set_data_handle(user[r], addr.at(address(a))), "set_data_handle");
                bound[r] = a;
            }
        }

        /** Points the internal buffers into the arena and executes the primitives in order. */
        void run() {
            try {
                long base = Arena.reserve(internalBytes + scratchBytes);
                for (int i = 0; i < internal.size(); i++) {
                    check(dnnl_memory_set_data_handle(internal.get(i), addr.at(base + ranges.get(i)[0])),
                            "set_data_handle");
                }
                for (dnnl_memory m : scratch) {
                    check(dnnl_memory_set_data_handle(m, addr.at(base + internalBytes)), "set_data_handle");
                }
                for (int i = 0; i < prims.size(); i++) {
                    check(dnnl_primitive_execute(prims.get(i), STREAM, nargs.get(i), args.get(i)), "execution");
                }
                check(dnnl_stream_wait(STREAM), "stream wait");
            } finally {
                Arrays.fill(bound, null);
            }
        }

        void destroy() {
            prims.forEach(dnnl::dnnl_primitive_destroy);
            for (dnnl_memory m : user) {
                if (m != null) {
                    dnnl_memory_destroy(m);
                }
            }
            internal.forEach(dnnl::dnnl_memory_destroy);
            scratch.forEach(dnnl::dnnl_memory_destroy);
            pds.forEach(dnnl::dnnl_primitive_desc_destroy);
            args.forEach(Pointer::close);
        }
    }
}
