package io.segnet.core.engine;

import io.segnet.core.engine.dnnl.DnnlConvOps;
import io.segnet.core.engine.nd4j.Nd4jConvOps;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The engine that computes a 2-D transposed convolution, PyTorch's {@code conv_transpose2d} with groups = 1 and
 * dilation 1, forward and backward: {@code x [N, iC, H, W]}, weights {@code w [iC, oC, kH, kW]} (PyTorch's layout),
 * optional bias {@code b [oC]} -> {@code out [N, oC, Ho, Wo]}, {@code Ho = (H - 1) sh - 2 ph + kH + oph}. The output
 * padding {@code oph} (likewise {@code opw}) is not an argument: it is what the output's (or output gradient's) size
 * adds to {@code (H - 1) sh - 2 ph + kH}, as in {@link DnnlConvOps#transposedForward}. Outputs and gradients are
 * preallocated by the caller and fully overwritten.
 *
 * <p>A layer runtime calls {@link #select} once for the data type it computes in and keeps the answer.
 */
public enum TransposedConvolutionBackend {
    /**
     * oneDNN's deconvolution ({@link DnnlConvOps}) for FLOAT, where the output padding is at most the padding; the
     * rest (larger output paddings) goes to {@link #LIBND4J}.
     */
    ONEDNN {
        @Override
        public void forward(INDArray x, INDArray w, INDArray b, INDArray out, int sh, int sw, int ph, int pw,
                            LayerWorkspaceMgr ws) {
            if (DnnlConvOps.supportsTransposed(x, w, sh, sw, ph, pw, out.size(2), out.size(3))) {
                DnnlConvOps.transposedForward(x, w, b, out, sh, sw, ph, pw);
            } else {
                LIBND4J.forward(x, w, b, out, sh, sw, ph, pw, ws);
            }
        }

        @Override
        public void backward(INDArray x, INDArray w, INDArray b, INDArray dy, INDArray dx, INDArray dW, INDArray db,
                             int sh, int sw, int ph, int pw, LayerWorkspaceMgr ws) {
            if (DnnlConvOps.supportsTransposed(x, w, sh, sw, ph, pw, dy.size(2), dy.size(3))) {
                DnnlConvOps.transposedBackward(x, w, dy, dx, dW, db, sh, sw, ph, pw);
            } else {
                LIBND4J.backward(x, w, b, dy, dx, dW, db, sh, sw, ph, pw, ws);
            }
        }
    },

    /**
     * libnd4j's native {@code deconv2d} / {@code deconv2d_bp} ({@link Nd4jConvOps}), which have no output padding:
     * with one, the unpadded ("full", padding 0) result is computed in a working array of the workspace and PyTorch's
     * window of it kept; rows and columns past the full result receive only the bias.
     */
    LIBND4J {
        @Override
        public void forward(INDArray x, INDArray w, INDArray b, INDArray out, int sh, int sw, int ph, int pw,
                            LayerWorkspaceMgr ws) {
            long fh = fullSize(x, w, sh, 2), fw = fullSize(x, w, sw, 3);
            long oh = out.size(2), ow = out.size(3);
            if (oh == fh - 2L * ph && ow == fw - 2L * pw) {
                Nd4jConvOps.deconv2d(x, w, b, out, sh, sw, ph, pw);
                return;
            }
            long oc = out.size(1);
            INDArray full = ws.createUninitialized(ArrayType.FF_WORKING_MEM, out.dataType(),
                    new long[]{x.size(0), oc, fh, fw}, 'c');
            Nd4jConvOps.deconv2d(x, w, null, full, sh, sw, 0, 0);
            out.assign(0.0);
            out.get(window(oh, ow, fh, fw, ph, pw)).assign(full.get(source(oh, ow, fh, fw, ph, pw)));
            if (b != null) {
                out.addi(b.reshape(1, oc, 1, 1));
            }
        }

        @Override
        public void backward(INDArray x, INDArray w, INDArray b, INDArray dy, INDArray dx, INDArray dW, INDArray db,
                             int sh, int sw, int ph, int pw, LayerWorkspaceMgr ws) {
            long fh = fullSize(x, w, sh, 2), fw = fullSize(x, w, sw, 3);
            long oh = dy.size(2), ow = dy.size(3);
            if (oh == fh - 2L * ph && ow == fw - 2L * pw) {
                Nd4jConvOps.deconv2dBackward(x, w, b, dy, dx, dW, db, sh, sw, ph, pw);
                return;
            }
            INDArray dFull = ws.create(ArrayType.BP_WORKING_MEM, dx.dataType(),
                    new long[]{x.size(0), dy.size(1), fh, fw}, 'c');
            dFull.get(source(oh, ow, fh, fw, ph, pw)).assign(dy.get(window(oh, ow, fh, fw, ph, pw)));
            Nd4jConvOps.deconv2dBackward(x, w, null, dFull, dx, dW, null, sh, sw, 0, 0);
            if (db != null) {
                db.assign(dy.sum(0, 2, 3));
            }
        }
    };

    /**
     * The backend for transposed convolutions computed in {@code type}: {@link #ONEDNN} for FLOAT when oneDNN's
     * binding loaded, else {@link #LIBND4J}.
     */
    public static TransposedConvolutionBackend select(DataType type) {
        return EngineSelection.oneDnn() && DnnlConvOps.supports(type) ? ONEDNN : LIBND4J;
    }

    /**
     * {@code out = conv_transpose2d(x, w) + b} with strides {@code sh, sw}, paddings {@code ph, pw} and the output
     * padding that {@code out}'s size implies.
     *
     * @param b  null for no bias
     * @param ws the layer's workspaces, for working arrays
     */
    public abstract void forward(INDArray x, INDArray w, INDArray b, INDArray out, int sh, int sw, int ph, int pw,
                                 LayerWorkspaceMgr ws);

    /**
     * Gradients of {@link #forward}, given {@code dy [N, oC, Ho, Wo]}: overwrites {@code dx [N, iC, H, W]},
     * {@code dW [iC, oC, kH, kW]} and, if the layer has a bias ({@code b} and {@code db} non-null), {@code db [oC]}.
     */
    public abstract void backward(INDArray x, INDArray w, INDArray b, INDArray dy, INDArray dx, INDArray dW,
                                  INDArray db, int sh, int sw, int ph, int pw, LayerWorkspaceMgr ws);

    /** Length of the padding-0, output-padding-0 ("full") output along {@code axis} (2 = H, 3 = W). */
    private static long fullSize(INDArray x, INDArray w, int stride, int axis) {
        return (x.size(axis) - 1) * stride + w.size(axis);
    }

    /** Rows/cols of the padded, output-padded output that the full output fills. */
    private static INDArrayIndex[] window(long oh, long ow, long fh, long fw, int ph, int pw) {
        return new INDArrayIndex[]{NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.interval(0, Math.min(oh, fh - ph)), NDArrayIndex.interval(0, Math.min(ow, fw - pw))};
    }

    /** Rows/cols of the full output that the padded, output-padded output keeps. */
    private static INDArrayIndex[] source(long oh, long ow, long fh, long fw, int ph, int pw) {
        return new INDArrayIndex[]{NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.interval(ph, Math.min(ph + oh, fh)), NDArrayIndex.interval(pw, Math.min(pw + ow, fw))};
    }
}
