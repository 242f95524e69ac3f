package io.segnet.core.runtime;

import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What {@link GraphInference}'s and {@link GradientBuffers}' pools share: the key a buffer is reused under, the
 * buffer an array lives in, and arrays over a reused or a new buffer. Buffers are compared by identity everywhere
 * ({@code DataBuffer.equals} compares contents).
 */
final class BufferReuse {
    private BufferReuse() {
    }

    /** The reuse key of a buffer for {@code shape}: data type and length. */
    static String key(DataType type, long[] shape) {
        long length = 1;
        for (long d : shape) {
            length *= d;
        }
        return type + ":" + length;
    }

    /** The reuse key of {@code b}. */
    static String key(DataBuffer b) {
        return b.dataType() + ":" + b.length();
    }

    /** Bytes of {@code b}. */
    static long bytes(DataBuffer b) {
        return b.length() * b.getElementSize();
    }

    /** The buffer {@code a}'s memory belongs to (its source's, for a view); null for an empty array. */
    static DataBuffer root(INDArray a) {
        if (a == null || a.isEmpty()) {
            return null;
        }
        DataBuffer b = a.data();
        while (b.originalDataBuffer() != null && b.originalDataBuffer() != b) {
            b = b.originalDataBuffer();
        }
        return b;
    }

    /** A c-order array of {@code shape} over the whole of {@code b} (whose length is the shape's). */
    static INDArray over(DataBuffer b, long[] shape) {
        return Nd4j.create(b, shape, Nd4j.getStrides(shape, 'c'), 0, 'c');
    }

    /** A new c-order array of {@code shape} outside any workspace, not initialised. */
    static INDArray detached(DataType type, long[] shape) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return Nd4j.createUninitialized(type, shape, 'c');
        }
    }
}
