package io.segnet.models.weights;

import java.util.Locale;

/**
 * Element types of checkpoint tensors, with their size in bytes, PyTorch's storage class and safetensors' name.
 * Floating types convert to float32 exactly (float16 and bfloat16 are subsets of float32); int64 converts to float32
 * with rounding above 2^24.
 */
public enum DType {
    /** IEEE 754 single precision. */
    FLOAT32(4, "FloatStorage", "F32"),
    /** IEEE 754 double precision (narrowed to float32 by {@link Tensor#toFloats}). */
    FLOAT64(8, "DoubleStorage", "F64"),
    /** IEEE 754 half precision. */
    FLOAT16(2, "HalfStorage", "F16"),
    /** bfloat16: the upper 16 bits of a float32. */
    BFLOAT16(2, "BFloat16Storage", "BF16"),
    /** 64-bit signed integers (batch norm's {@code num_batches_tracked}). */
    INT64(8, "LongStorage", "I64"),
    /** 32-bit signed integers. */
    INT32(4, "IntStorage", "I32");

    private final int bytes;
    private final String torchStorage;
    private final String safetensorsName;

    DType(int bytes, String torchStorage, String safetensorsName) {
        this.bytes = bytes;
        this.torchStorage = torchStorage;
        this.safetensorsName = safetensorsName;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** True for the floating-point types. */
    public boolean floating() {
        return this != INT64 && this != INT32;
    }

    /** The type of a PyTorch storage class such as {@code FloatStorage}, or null if it is not supported. */
    static DType ofTorchStorage(String storageClass) {
        for (DType t : values()) {
            if (t.torchStorage.equals(storageClass)) {
                return t;
            }
        }
        return null;
    }

    /** The PyTorch storage class names this reader accepts. */
    static String torchStorages() {
        StringBuilder sb = new StringBuilder();
        for (DType t : values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(t.torchStorage);
        }
        return sb.toString();
    }

    /**
     * The type of a safetensors dtype name such as {@code F32}.
     *
     * @throws IllegalArgumentException naming the supported types
     */
    static DType ofSafetensors(String name) {
        for (DType t : values()) {
            if (t.safetensorsName.equals(name.toUpperCase(Locale.ROOT))) {
                return t;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (DType t : values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(t.safetensorsName);
        }
        throw new IllegalArgumentException("safetensors dtype '" + name + "' is not supported; supported: " + sb);
    }
}
