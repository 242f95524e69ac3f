package io.segnet.core.runtime;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.nd4j.common.util.ArrayUtil;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The memory of one thread's dead activations during a training step, lent out as float arrays (see
 * {@link GradientBuffers}): ranges of native memory offered by {@link ActivationLiveness}, coalesced when adjacent,
 * served best fit. Everything is forgotten at the end of the step ({@link #forget()}), when DL4J's workspace starts
 * handing the same memory to the next step's activations.
 *
 * <p>An offered array is kept reachable until then, so that memory outside a workspace could not be freed under a
 * lent array; lent arrays are over non-owning buffers (closing or collecting them frees nothing).
 */
final class DeadMemory {
    /** Alignment of lent arrays, in bytes (a cache line; oneDNN and the kernels' vector loads prefer it). */
    static final long ALIGNMENT = 64;

    /** Free ranges: start address to length in bytes. */
    private final TreeMap<Long, Long> free = new TreeMap<>();
    /** Every range offered in this step (start to end), free or lent: a new offer must overlap none of them. */
    private final TreeMap<Long, Long> offered = new TreeMap<>();
    /** Lent buffers and their ranges {start, bytes}. */
    private final Map<DataBuffer, long[]> lent = new IdentityHashMap<>();
    /** The offered arrays, kept reachable until the step ends. */
    private final List<INDArray> keep = new ArrayList<>();
    long offeredBytes;
    /** Bytes lent in the current step, and in the last step that ended. */
    long lentBytes;
    long lentBytesLastStep;

    boolean offer(INDArray a, INDArray[] stillUsed) {
        if (a == null || a.isEmpty() || a.isView() || !a.isAttached() || a.data().originalDataBuffer() != null
                || a.length() != a.data().length()) {
            return false;
        }
        long start = a.data().address();
        long end = start + a.length() * a.dataType().width();
        if (start == 0 || overlapsOffered(start, end)) {
            return false;
        }
        for (INDArray s : stillUsed) {
            if (s != null && !s.isEmpty() && overlaps(start, end, s)) {
                return false;
            }
        }
        offered.put(start, end);
        keep.add(a);
        offeredBytes += end - start;
        addFree(start, end - start);
        return true;
    }

    /** A c-order float array of {@code shape} in dead memory, or null (other type, or no free range fits). */
    INDArray take(DataType type, long[] shape) {
        if (type != DataType.FLOAT || free.isEmpty()) {
            return null;
        }
        long length = ArrayUtil.prodLong(shape);
        if (length == 0) {
            return null;
        }
        long need = roundUp(length * 4);
        Map.Entry<Long, Long> best = null;
        for (Map.Entry<Long, Long> e : free.entrySet()) {
            long usable = e.getValue() - (roundUp(e.getKey()) - e.getKey());
            if (usable >= need && (best == null || e.getValue() < best.getValue())) {
                best = e;
            }
        }
        if (best == null) {
            return null;
        }
        long rangeStart = best.getKey();
        long rangeEnd = rangeStart + best.getValue();
        long start = roundUp(rangeStart);
        free.remove(rangeStart);
        if (start > rangeStart) {
            free.put(rangeStart, start - rangeStart);
        }
        if (rangeEnd > start + need) {
            free.put(start + need, rangeEnd - start - need);
        }
        INDArray out = floatArrayAt(start, length, shape);
        lent.put(out.data(), new long[]{start, need});
        lentBytes += need;
        return out;
    }

    boolean isLent(DataBuffer b) {
        return lent.containsKey(b);
    }

    /** Takes back the range of lent buffer {@code b} (the caller has checked that nothing still uses it). */
    void giveBack(DataBuffer b) {
        long[] r = lent.remove(b);
        if (r != null) {
            addFree(r[0], r[1]);
        }
    }

    /** Forgets every range (the step has ended): lent arrays must not be read any more. */
    void forget() {
        free.clear();
        offered.clear();
        lent.clear();
        keep.clear();
        offeredBytes = 0;
        if (lentBytes > 0) {
            lentBytesLastStep = lentBytes;
        }
        lentBytes = 0;
    }

    private void addFree(long start, long bytes) {
        long end = start + bytes;
        Map.Entry<Long, Long> below = free.floorEntry(start);
        if (below != null && below.getKey() + below.getValue() == start) {
            free.remove(below.getKey());
            start = below.getKey();
        }
        Long above = free.get(end);
        if (above != null) {
            free.remove(end);
            end += above;
        }
        free.put(start, end - start);
    }

    private boolean overlapsOffered(long start, long end) {
        Map.Entry<Long, Long> below = offered.floorEntry(end - 1);
        return below != null && below.getValue() > start;
    }

    private static boolean overlaps(long start, long end, INDArray s) {
        DataBuffer root = BufferReuse.root(s);
        long sStart = root.address();
        long sEnd = sStart + root.length() * root.getElementSize();
        return sStart < end && start < sEnd;
    }

    private static long roundUp(long x) {
        return (x + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /** A c-order float array over {@code length} floats at {@code address}, on a buffer that does not own them. */
    static INDArray floatArrayAt(long start, long length, long[] shape) {
        FloatPointer p = new FloatPointer(new Pointer() {
            {
                address = start; // the field: the parameter is named differently on purpose
            }
        });
        p.capacity(length).limit(length);
        DataBuffer b = Nd4j.createBuffer(p, DataType.FLOAT, length, FloatIndexer.create(p));
        return Nd4j.create(b, shape, Nd4j.getStrides(shape, 'c'), 0, 'c');
    }
}
