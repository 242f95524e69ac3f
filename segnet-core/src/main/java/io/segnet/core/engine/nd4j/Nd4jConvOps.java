package io.segnet.core.engine.nd4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * 2-D convolution and transposed convolution on NCHW arrays through libnd4j's native {@code conv2d},
 * {@code conv2d_bp}, {@code deconv2d} and {@code deconv2d_bp} (oneDNN in the default build), with weights in PyTorch's
 * layouts so that no permute or copy happens around the call.
 *
 * <p>Dilated convolutions never reach the native op (it fails in the oneDNN build):
 * {@link io.segnet.core.engine.ConvolutionBackend} routes them to oneDNN or to
 * {@link io.segnet.core.engine.kernels.AtrousOps}.
 */
public final class Nd4jConvOps {
    private Nd4jConvOps() {
    }

    /** libnd4j's weight format code for {@code [oC, iC, kH, kW]} (conv2d) and {@code [iC, oC, kH, kW]} (deconv2d). */
    private static final int OIHW = 1;
    private static final int NCHW = 0;
    private static final int EXPLICIT_PADDING = 0;

    private static int[] args(INDArray w, int sh, int sw, int ph, int pw) {
        return new int[]{(int) w.size(2), (int) w.size(3), sh, sw, ph, pw, 1, 1, EXPLICIT_PADDING, NCHW, OIHW};
    }

    /** Runs native {@code op} forward: inputs {@code x, w[, b]}, output {@code out}. */
    private static void forwardOp(String op, INDArray x, INDArray w, INDArray b, INDArray out, int sh, int sw, int ph,
                                  int pw) {
        Nd4j.exec(DynamicCustomOp.builder(op).addIntegerArguments(args(w, sh, sw, ph, pw)).callInplace(false)
                .addInputs(b == null ? new INDArray[]{x, w} : new INDArray[]{x, w, b.reshape(b.length())})
                .addOutputs(out).build());
    }

    /** Runs native {@code op} backward: inputs {@code x, w[, b], dy}, outputs {@code dx, dw[, db]}. */
    private static void backwardOp(String op, INDArray x, INDArray w, INDArray b, INDArray dy, INDArray dx,
                                   INDArray dw, INDArray db, int sh, int sw, int ph, int pw) {
        DynamicCustomOp.DynamicCustomOpsBuilder call = DynamicCustomOp.builder(op)
                .addIntegerArguments(args(w, sh, sw, ph, pw)).callInplace(false);
        if (b == null) {
            call.addInputs(x, w, dy).addOutputs(dx, dw);
        } else {
            call.addInputs(x, w, b.reshape(b.length()), dy).addOutputs(dx, dw, db.reshape(db.length()));
        }
        Nd4j.exec(call.build());
    }

    /**
     * {@code out = conv2d(x, w) + b}.
     *
     * @param x   {@code [N, iC, H, W]}
     * @param w   {@code [oC, iC, kH, kW]}
     * @param b   {@code [oC]} or {@code [1, oC]}, or null
     * @param out {@code [N, oC, Ho, Wo]}, fully overwritten
     */
    public static void conv2d(INDArray x, INDArray w, INDArray b, INDArray out, int sh, int sw, int ph, int pw) {
        forwardOp("conv2d", x, w, b, out, sh, sw, ph, pw);
    }

    /**
     * Gradients of {@link #conv2d}: writes {@code dx}, {@code dw} and (if non-null) {@code db}, overwriting them.
     */
    public static void conv2dBackward(INDArray x, INDArray w, INDArray b, INDArray dy, INDArray dx, INDArray dw,
                                      INDArray db, int sh, int sw, int ph, int pw) {
        backwardOp("conv2d_bp", x, w, b, dy, dx, dw, db, sh, sw, ph, pw);
    }

    /**
     * {@code out = conv_transpose2d(x, w) + b} with output padding 0.
     *
     * @param x   {@code [N, iC, H, W]}
     * @param w   {@code [iC, oC, kH, kW]} (PyTorch's ConvTranspose2d layout)
     * @param out {@code [N, oC, (H-1)s - 2p + kH, ...]}, fully overwritten
     */
    public static void deconv2d(INDArray x, INDArray w, INDArray b, INDArray out, int sh, int sw, int ph, int pw) {
        forwardOp("deconv2d", x, w, b, out, sh, sw, ph, pw);
    }

    /** Gradients of {@link #deconv2d}: writes {@code dx}, {@code dw} and (if non-null) {@code db}. */
    public static void deconv2dBackward(INDArray x, INDArray w, INDArray b, INDArray dy, INDArray dx, INDArray dw,
                                        INDArray db, int sh, int sw, int ph, int pw) {
        backwardOp("deconv2d_bp", x, w, b, dy, dx, dw, db, sh, sw, ph, pw);
    }
}
