package io.segnet.core.engine;

import io.segnet.core.engine.dnnl.DnnlConvOps;
import io.segnet.core.engine.kernels.AtrousOps;
import io.segnet.core.engine.nd4j.Nd4jConvOps;
import io.segnet.core.engine.nd4j.Nd4jElementwise;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The engine that computes a 2-D convolution, PyTorch's {@code conv2d} with groups = 1, forward and backward:
 * {@code x [N, iC, H, W]}, weights {@code w [oC, iC, kH, kW]}, optional bias {@code b [oC]} (any shape of that
 * length) -> {@code out [N, oC, Ho, Wo]}, {@code Ho = floor((H + 2 ph - dh (kH - 1) - 1) / sh) + 1} (likewise
 * {@code Wo}). Outputs and gradients are preallocated by the caller and fully overwritten.
 *
 * <p>A layer runtime calls {@link #select} once for the data type it computes in and keeps the answer: oneDNN for
 * FLOAT when its binding loaded, else libnd4j's native op for undilated and {@link AtrousOps} for dilated
 * convolutions (libnd4j's dilated {@code conv2d} fails in its oneDNN build).
 */
public enum ConvolutionBackend {
    /** oneDNN with cached primitives ({@link DnnlConvOps}): FLOAT only; any stride and dilation. */
    ONEDNN {
        @Override
        public void forward(INDArray x, INDArray w, INDArray b, INDArray out, int sh, int sw, int ph, int pw, int dh,
                            int dw, boolean relu) {
            DnnlConvOps.forward(x, w, b, out, sh, sw, ph, pw, dh, dw, relu);
        }

        @Override
        public void backward(INDArray x, INDArray w, INDArray b, INDArray dy, INDArray dx, INDArray dW, INDArray db,
                             int sh, int sw, int ph, int pw, int dh, int dw) {
            DnnlConvOps.backward(x, w, dy, dx, dW, db, sh, sw, ph, pw, dh, dw);
        }
    },

    /** libnd4j's native {@code conv2d} / {@code conv2d_bp} ({@link Nd4jConvOps}): any stride, dilation 1 only. */
    LIBND4J {
        @Override
        public void forward(INDArray x, INDArray w, INDArray b, INDArray out, int sh, int sw, int ph, int pw, int dh,
                            int dw, boolean relu) {
            requireUndilated(dh, dw);
            Nd4jConvOps.conv2d(x, w, b, out, sh, sw, ph, pw);
            if (relu) {
                Nd4jElementwise.reluInPlace(out);
            }
        }

        @Override
        public void backward(INDArray x, INDArray w, INDArray b, INDArray dy, INDArray dx, INDArray dW, INDArray db,
                             int sh, int sw, int ph, int pw, int dh, int dw) {
            requireUndilated(dh, dw);
            Nd4jConvOps.conv2dBackward(x, w, b, dy, dx, dW, db, sh, sw, ph, pw);
        }
    },

    /** Exact atrous convolution as one GEMM per kernel tap ({@link AtrousOps}): any dilation, stride 1 only. */
    ATROUS {
        @Override
        public void forward(INDArray x, INDArray w, INDArray b, INDArray out, int sh, int sw, int ph, int pw, int dh,
                            int dw, boolean relu) {
            requireUnitStride(sh, sw);
            AtrousOps.forward(x, w, b, out, ph, pw, dh, dw);
            if (relu) {
                Nd4jElementwise.reluInPlace(out);
            }
        }

        @Override
        public void backward(INDArray x, INDArray w, INDArray b, INDArray dy, INDArray dx, INDArray dW, INDArray db,
                             int sh, int sw, int ph, int pw, int dh, int dw) {
            requireUnitStride(sh, sw);
            AtrousOps.backward(x, w, dy, dx, dW, db, ph, pw, dh, dw);
        }
    };

    /**
     * The backend for convolutions computed in {@code type}: {@link #ONEDNN} for FLOAT when oneDNN's binding loaded,
     * else {@link #ATROUS} if the convolution is dilated and {@link #LIBND4J} if not.
     */
    public static ConvolutionBackend select(DataType type, boolean dilated) {
        if (EngineSelection.oneDnn() && DnnlConvOps.supports(type)) {
            return ONEDNN;
        }
        return dilated ? ATROUS : LIBND4J;
    }

    /**
     * {@code out = conv2d(x, w) + b} with strides {@code sh, sw}, paddings {@code ph, pw} and dilations
     * {@code dh, dw} (1 = ordinary convolution).
     *
     * @param b null for no bias
     */
    public void forward(INDArray x, INDArray w, INDArray b, INDArray out, int sh, int sw, int ph, int pw, int dh,
                        int dw) {
        forward(x, w, b, out, sh, sw, ph, pw, dh, dw, false);
    }

    /**
     * As {@link #forward(INDArray, INDArray, INDArray, INDArray, int, int, int, int, int, int)}, and with {@code relu}
     * {@code out = max(0, conv2d(x, w) + b)}: oneDNN applies it while computing (a post-op), the other engines in place
     * afterwards.
     */
    public abstract void forward(INDArray x, INDArray w, INDArray b, INDArray out, int sh, int sw, int ph, int pw,
                                 int dh, int dw, boolean relu);

    /**
     * Gradients of {@link #forward}, given {@code dy [N, oC, Ho, Wo]}: overwrites {@code dx [N, iC, H, W]},
     * {@code dW [oC, iC, kH, kW]} and, if the layer has a bias ({@code b} and {@code db} non-null), {@code db [oC]}.
     */
    public abstract void backward(INDArray x, INDArray w, INDArray b, INDArray dy, INDArray dx, INDArray dW,
                                  INDArray db, int sh, int sw, int ph, int pw, int dh, int dw);

    private static void requireUndilated(int dh, int dw) {
        if (dh != 1 || dw != 1) {
            throw new IllegalArgumentException("libnd4j's conv2d runs undilated convolutions only, got dilation " + dh
                    + "x" + dw + "; use ConvolutionBackend.select");
        }
    }

    private static void requireUnitStride(int sh, int sw) {
        if (sh != 1 || sw != 1) {
            throw new IllegalArgumentException("atrous convolution runs at stride 1 only, got stride " + sh + "x" + sw);
        }
    }
}
