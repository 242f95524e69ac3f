package io.segnet.core.runtime;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;
import org.bytedeco.openblas.presets.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Row-major GEMM on sub-matrices of ND4J arrays, with explicit element offsets and leading dimensions:
 * {@code C = alpha op(A) op(B) + beta C}. Calls OpenBLAS's {@code cblas_sgemm}/{@code cblas_dgemm} (the BLAS that
 * ND4J's CPU backend itself links), so a matrix can be any window of a buffer with a row pitch, with no copy.
 *
 * <p>OpenBLAS runs on the calling thread only ({@value #THREADS_PROPERTY}, default 1; ND4J sets it to the core
 * count at start-up). libnd4j's OpenMP workers spin for a while after every native op, and OpenBLAS splits a GEMM
 * into fixed equal parts, so the part given to a second OpenBLAS thread waits for a core that a spinning worker
 * holds: measured on 2 cores, a [256, 3600] x [3600, 36] GEMM right after an ND4J {@code addi} took 1.6-12 ms with
 * 2 OpenBLAS threads against 1.3 ms with one (0.9-1.2 ms with no native op before it), and the pyramid-pooling
 * benchmark (L8, 16 GEMMs between ND4J ops) ran in 31-39 instead of 44-76 ms; splitting those GEMMs over two Java
 * threads instead was no faster (38 vs 36 ms). This setting is process-wide: it also applies to ND4J's own
 * {@code mmul}.
 */
public final class Blas {
    /** System property: OpenBLAS threads per call (default 1). */
    public static final String THREADS_PROPERTY = "segnet.openblas.threads";

    static {
        // Bind the same OpenBLAS library that libnd4j loads (the one without LAPACK), not a second copy.
        if (System.getProperty("org.bytedeco.openblas.load") == null) {
            System.setProperty("org.bytedeco.openblas.load", "openblas_nolapack");
        }
        Loader.load(openblas.class);
        openblas_nolapack.blas_set_num_threads(threads());
    }

    private static int threads() {
        String value = System.getProperty(THREADS_PROPERTY, "1");
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("system property " + THREADS_PROPERTY + " must be a positive integer (the"
                + " number of OpenBLAS threads per call), got '" + value + "'");
    }

    /** The number of threads OpenBLAS uses per call. */
    public static int threadsPerCall() {
        return openblas_nolapack.blas_get_num_threads();
    }

    private Blas() {
    }

    /**
     * @param a    array holding A at element offset {@code aOff}, row pitch {@code lda}; likewise B and C
     * @param m    rows of op(A) and C; {@code n} columns of op(B) and C; {@code k} the inner dimension
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, INDArray a, long aOff,
                            int lda, INDArray b, long bOff, int ldb, double beta, INDArray c, long cOff, int ldc) {
        DataType t = c.dataType();
        if (a.dataType() != t || b.dataType() != t) {
            throw new IllegalArgumentException("gemm operands must share one type, got " + a.dataType() + ", "
                    + b.dataType() + ", " + t);
        }
        int ta = transA ? openblas.CblasTrans : openblas.CblasNoTrans;
        int tb = transB ? openblas.CblasTrans : openblas.CblasNoTrans;
        if (t == DataType.FLOAT) {
            openblas.cblas_sgemm(openblas.CblasRowMajor, ta, tb, m, n, k, (float) alpha, floats(a, aOff), lda,
                    floats(b, bOff), ldb, (float) beta, floats(c, cOff), ldc);
        } else if (t == DataType.DOUBLE) {
            openblas.cblas_dgemm(openblas.CblasRowMajor, ta, tb, m, n, k, alpha, doubles(a, aOff), lda,
                    doubles(b, bOff), ldb, beta, doubles(c, cOff), ldc);
        } else {
            throw new IllegalArgumentException("gemm supports FLOAT and DOUBLE, got " + t);
        }
    }

    private static FloatPointer floats(INDArray a, long off) {
        return new FloatPointer(a.data().addressPointer()).position(off);
    }

    private static DoublePointer doubles(INDArray a, long off) {
        return new DoublePointer(a.data().addressPointer()).position(off);
    }
}
