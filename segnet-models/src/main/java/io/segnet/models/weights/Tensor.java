package io.segnet.models.weights;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A tensor read from a checkpoint: its element type, its shape, and its elements contiguous in row-major order
 * (little-endian, in the file's element type; a strided or offset view in the file has been gathered). Convert with
 * {@link #toFloats}, {@link #toLongs} or {@link #toINDArray} (float32, the same shape; PyTorch's weight layouts, e.g.
 * {@code [out, in, kH, kW]} for a convolution, are segnet's).
 */
public final class Tensor {
    private final DType dtype;
    private final long[] shape;
    private final ByteBuffer data;

    /**
     * @param dtype element type
     * @param shape dimensions (empty for a scalar)
     * @param data  {@code numel * dtype.bytes()} bytes, row-major, little-endian
     */
    public Tensor(DType dtype, long[] shape, ByteBuffer data) {
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.shape = shape.clone();
        long n = numel(this.shape);
        if (n * dtype.bytes() != data.remaining()) {
            throw new IllegalArgumentException("tensor " + Arrays.toString(shape) + " of " + dtype + " needs "
                    + n * dtype.bytes() + " bytes, got " + data.remaining());
        }
        this.data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A float32 tensor of {@code values} (row-major) with {@code shape}. */
    public static Tensor ofFloats(long[] shape, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return new Tensor(DType.FLOAT32, shape, b);
    }

    static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Element type in the file. */
    public DType dtype() {
        return dtype;
    }

    /** Dimensions. */
    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements. */
    public long numel() {
        return numel(shape);
    }

    /** The elements as float32 (exact for float16/bfloat16; rounded for float64 and large integers). */
    public float[] toFloats() {
        int n = Math.toIntExact(numel());
        float[] out = new float[n];
        ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case FLOAT32 -> b.asFloatBuffer().get(out);
            case FLOAT64 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = (float) b.getDouble(i * 8);
                }
            }
            case FLOAT16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = halfToFloat(b.getShort(i * 2));
                }
            }
            case BFLOAT16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Float.intBitsToFloat((b.getShort(i * 2) & 0xffff) << 16);
                }
            }
            case INT64 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.getLong(i * 8);
                }
            }
            case INT32 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.getInt(i * 4);
                }
            }
        }
        return out;
    }

    /** IEEE 754 binary16 to float32, exact (subnormals, infinities and NaN included). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | mant << 13);
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | (exp + 112) << 23 | mant << 13);
    }

    /**
     * The elements of an integer tensor as longs.
     *
     * @throws IllegalStateException for a floating-point tensor
     */
    public long[] toLongs() {
        int n = Math.toIntExact(numel());
        long[] out = new long[n];
        ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case INT64 -> b.asLongBuffer().get(out);
            case INT32 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = b.getInt(i * 4);
                }
            }
            default -> throw new IllegalStateException("toLongs needs an integer tensor, this one is " + dtype
                    + "; use toFloats");
        }
        return out;
    }

    /** The tensor as a float32 {@link INDArray} of the same shape (C order; a scalar becomes a rank-0 array). */
    public INDArray toINDArray() {
        return Nd4j.create(toFloats(), shape, 'c').castTo(DataType.FLOAT);
    }

    @Override
    public String toString() {
        return dtype + Arrays.toString(shape);
    }
}
