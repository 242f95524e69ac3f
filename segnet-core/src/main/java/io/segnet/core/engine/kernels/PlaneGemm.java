package io.segnet.core.engine.kernels;

import io.segnet.core.runtime.Blas;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A separable linear map of image planes, {@code Y = A_h X A_w^T} per {@code [N, C]} plane, applied to all planes as
 * one matrix product with the Kronecker product {@code K = A_h (x) A_w} ({@code [oh*ow, h*w]}):
 * {@code Y[P, oh*ow] = X[P, h*w] K^T}, and its adjoint {@code dX = dY K}.
 *
 * <p>Bilinear resize and adaptive average pooling are such maps. When one side of the map is small (pooling to a few
 * bins, resizing bins back up, global pooling) {@code K} is small and one BLAS call beats the per-plane loops, which
 * the JIT cannot vectorise well on short rows (measured on [4, 64, 60, 60] with bins 1 and 6: resize backward
 * 1.7-1.9 -> 0.2-0.9 ms). {@link #suits} decides; larger maps keep their sparse loops, whose cost does not grow with
 * the small side.
 */
final class PlaneGemm {
    /** Largest small side (elements of the smaller plane) for which the dense product is used. */
    static final int MAX_SMALL_PLANE = 64;
    /** Largest {@code K} in elements (16 MiB in float). */
    static final long MAX_ELEMENTS = 1L << 22;
    private static final int CACHE_SIZE = 64;

    private PlaneGemm() {
    }

    /** Whether the dense product suits a map from planes of {@code inPlane} to {@code outPlane} elements. */
    static boolean suits(long inPlane, long outPlane) {
        return Math.min(inPlane, outPlane) <= MAX_SMALL_PLANE && inPlane * outPlane <= MAX_ELEMENTS;
    }

    /** One axis of a separable map: {@code rows x cols} row-major weights (output index by input index). */
    record Axis(int rows, int cols, double[] weights) {
    }

    private record Key(DataType type, Object id) {
    }

    private static final Map<Key, INDArray> CACHE = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, INDArray> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    /**
     * The Kronecker matrix of the two axes as a {@code [oh*ow, h*w]} array of {@code type}, cached under {@code id}
     * (a value that identifies the map: equal ids must mean equal axes).
     */
    static INDArray kron(DataType type, Object id, Supplier<Axis[]> axes) {
        Key key = new Key(type, id);
        synchronized (CACHE) {
            INDArray k = CACHE.get(key);
            if (k != null) {
                return k;
            }
        }
        Axis[] a = axes.get();
        Axis ah = a[0], aw = a[1];
        int inPlane = ah.cols() * aw.cols(), outPlane = ah.rows() * aw.rows();
        double[] k = new double[outPlane * inPlane];
        for (int i = 0; i < ah.rows(); i++) {
            for (int r = 0; r < ah.cols(); r++) {
                double wh = ah.weights()[i * ah.cols() + r];
                if (wh == 0) {
                    continue;
                }
                for (int j = 0; j < aw.rows(); j++) {
                    int row = (i * aw.rows() + j) * inPlane + r * aw.cols();
                    for (int c = 0; c < aw.cols(); c++) {
                        k[row + c] = wh * aw.weights()[j * aw.cols() + c];
                    }
                }
            }
        }
        INDArray m;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            m = Nd4j.create(k, new long[]{outPlane, inPlane}, 'c').castTo(type);
        }
        synchronized (CACHE) {
            CACHE.put(key, m);
        }
        return m;
    }

    /** {@code out[p] = K x[p]} for every plane: x {@code [N, C, h, w]}, out {@code [N, C, oh, ow]}. */
    static void forward(INDArray x, INDArray out, INDArray k) {
        requireContiguous(x, out);
        int planes = Math.toIntExact(x.size(0) * x.size(1));
        int in = (int) k.size(1), outPlane = (int) k.size(0);
        Blas.gemm(false, true, planes, outPlane, in, 1.0, x, 0, in, k, 0, in, 0.0, out, 0, outPlane);
    }

    /** {@code dx[p] = K^T dy[p]} for every plane: dy {@code [N, C, oh, ow]}, dx {@code [N, C, h, w]}. */
    static void backward(INDArray dy, INDArray dx, INDArray k) {
        requireContiguous(dy, dx);
        int planes = Math.toIntExact(dy.size(0) * dy.size(1));
        int in = (int) k.size(1), outPlane = (int) k.size(0);
        Blas.gemm(false, false, planes, in, outPlane, 1.0, dy, 0, outPlane, k, 0, in, 0.0, dx, 0, in);
    }

    private static void requireContiguous(INDArray... arrays) {
        for (INDArray a : arrays) {
            if (!Buf.isContiguous(a)) {
                throw new IllegalArgumentException("plane maps need contiguous 'c'-order arrays, got shape "
                        + java.util.Arrays.toString(a.shape()) + " with stride "
                        + java.util.Arrays.toString(a.stride()));
            }
        }
    }
}
