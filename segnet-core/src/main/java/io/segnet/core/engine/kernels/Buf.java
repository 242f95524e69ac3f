package io.segnet.core.engine.kernels;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * Direct element access to the native memory of a contiguous FLOAT or DOUBLE {@link INDArray}, without copies.
 *
 * <p>segnet's Java kernels (this package's pooling with indices, unpooling, bilinear resize, adaptive pooling,
 * depthwise convolution and batch norm statistics, and the losses of {@code io.segnet.core.loss}) are memory-bound
 * loops; they read and write ND4J's off-heap buffers in place through this class. Both precisions are supported so
 * that the same kernel serves training (float) and the double-precision gradient checks. Arithmetic is done in
 * {@code double}; values are rounded on store.
 */
public abstract sealed class Buf permits Buf.F32, Buf.F64 {

    /** Number of elements. */
    public final long length;

    private Buf(long length) {
        this.length = length;
    }

    /** Element {@code i} (flat, row-major). */
    public abstract double get(int i);

    /** Sets element {@code i}. */
    public abstract void set(int i, double v);

    /** Adds {@code v} to element {@code i}. */
    public abstract void add(int i, double v);

    /** Copies elements {@code [from, from + len)} into {@code dst[dstOff ...]} (bulk, memcpy speed). */
    public abstract void read(int from, double[] dst, int dstOff, int len);

    /** Copies {@code src[srcOff ... srcOff + len)} into elements {@code [to, to + len)}. */
    public abstract void write(int to, double[] src, int srcOff, int len);

    /**
     * Copies elements {@code [from, from + len)} of this buffer to {@code [to, to + len)} of {@code dst}, which must
     * have the same element type (a memcpy, no conversion).
     */
    public void copyTo(int from, Buf dst, int to, int len) {
        if (this instanceof F32 f && dst instanceof F32 g) {
            g.b.put(to, f.b, from, len);
        } else if (this instanceof F64 f && dst instanceof F64 g) {
            g.b.put(to, f.b, from, len);
        } else {
            throw new IllegalArgumentException("copyTo needs buffers of one element type");
        }
    }

    /** A thread-local float staging array of at least {@code n} elements. */
    private static final ThreadLocal<float[]> STAGE = ThreadLocal.withInitial(() -> new float[0]);

    static float[] stage(int n) {
        float[] a = STAGE.get();
        if (a.length < n) {
            a = new float[Math.max(n, a.length * 2)];
            STAGE.set(a);
        }
        return a;
    }

    /**
     * Wraps the memory of {@code a}. The array must be in 'c' order with unit element stride over its whole length
     * (the layers in segnet-core create their arrays that way; call {@link #contiguous(INDArray)} first otherwise).
     *
     * @throws IllegalArgumentException if the array is a strided view or of a type other than FLOAT or DOUBLE
     */
    public static Buf of(INDArray a) {
        if (!isContiguous(a)) {
            throw new IllegalArgumentException("Buf.of needs a contiguous 'c'-order array, got a view with shape "
                    + java.util.Arrays.toString(a.shape()) + " and stride " + java.util.Arrays.toString(a.stride())
                    + "; call Buf.contiguous(array) first");
        }
        long n = a.length();
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("array of " + n + " elements exceeds the 2^31-1 elements a kernel handles");
        }
        // A view's data buffer already starts at the view's first element: addressPointer() includes the offset.
        if (a.dataType() == DataType.FLOAT) {
            FloatPointer p = new FloatPointer(a.data().addressPointer());
            p.capacity(n);
            return new F32(p.asBuffer(), n);
        } else if (a.dataType() == DataType.DOUBLE) {
            DoublePointer p = new DoublePointer(a.data().addressPointer());
            p.capacity(n);
            return new F64(p.asBuffer(), n);
        }
        throw new IllegalArgumentException("segnet kernels support FLOAT and DOUBLE arrays, got " + a.dataType());
    }

    /** True if {@code a} is laid out in 'c' order with no gaps, so that {@link #of} may wrap it. */
    public static boolean isContiguous(INDArray a) {
        long[] shape = a.shape();
        long[] stride = a.stride();
        long expect = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && stride[d] != expect) {
                return false;
            }
            expect *= shape[d];
        }
        return true;
    }

    /** {@code a} itself if contiguous, else a contiguous copy. */
    public static INDArray contiguous(INDArray a) {
        return isContiguous(a) ? a : a.dup('c');
    }

    /** Float storage. */
    public static final class F32 extends Buf {
        private final FloatBuffer b;

        F32(FloatBuffer b, long length) {
            super(length);
            this.b = b;
        }

        @Override
        public double get(int i) {
            return b.get(i);
        }

        @Override
        public void set(int i, double v) {
            b.put(i, (float) v);
        }

        @Override
        public void add(int i, double v) {
            b.put(i, (float) (b.get(i) + v));
        }

        @Override
        public void read(int from, double[] dst, int dstOff, int len) {
            float[] f = stage(len);
            b.get(from, f, 0, len);
            for (int k = 0; k < len; k++) {
                dst[dstOff + k] = f[k];
            }
        }

        @Override
        public void write(int to, double[] src, int srcOff, int len) {
            float[] f = stage(len);
            for (int k = 0; k < len; k++) {
                f[k] = (float) src[srcOff + k];
            }
            b.put(to, f, 0, len);
        }

        /** Copies elements {@code [from, from + len)} into {@code dst[dstOff ...]} without conversion. */
        public void readFloats(int from, float[] dst, int dstOff, int len) {
            b.get(from, dst, dstOff, len);
        }

        /** Copies {@code src[srcOff ... srcOff + len)} into elements {@code [to, to + len)} without conversion. */
        public void writeFloats(int to, float[] src, int srcOff, int len) {
            b.put(to, src, srcOff, len);
        }
    }

    /** Double storage. */
    public static final class F64 extends Buf {
        private final DoubleBuffer b;

        F64(DoubleBuffer b, long length) {
            super(length);
            this.b = b;
        }

        @Override
        public double get(int i) {
            return b.get(i);
        }

        @Override
        public void set(int i, double v) {
            b.put(i, v);
        }

        @Override
        public void add(int i, double v) {
            b.put(i, b.get(i) + v);
        }

        @Override
        public void read(int from, double[] dst, int dstOff, int len) {
            b.get(from, dst, dstOff, len);
        }

        @Override
        public void write(int to, double[] src, int srcOff, int len) {
            b.put(to, src, srcOff, len);
        }
    }
}
