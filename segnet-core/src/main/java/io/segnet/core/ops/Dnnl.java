package io.segnet.core.ops;

import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

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
        }
        LOAD_FAILURE = failure;
        ENGINE = engine;
        STREAM = stream;
    }

    static boolean available() {
        return LOAD_FAILURE == null;
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
}
