package io.segnet.core.ops;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Row-major GEMM on sub-matrices of ND4J arrays, with explicit element offsets and leading dimensions:
 * {@code C = alpha op(A) op(B) + beta C}. Calls OpenBLAS's {@code cblas_sgemm}/{@code cblas_dgemm} (the BLAS that
 * ND4J's CPU backend itself links), so a matrix can be any window of a buffer with a row pitch, with no copy.
 */
public final class Blas {
    static {
        // Bind the same OpenBLAS library that libnd4j loads (the one without LAPACK), not a second copy.
        if (System.getProperty("org.bytedeco.openblas.load") == null) {
            System.setProperty("org.bytedeco.openblas.load", "openblas_nolapack");
        }
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
