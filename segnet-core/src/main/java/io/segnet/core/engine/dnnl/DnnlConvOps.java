package io.segnet.core.engine.dnnl;

import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_post_ops;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.javacpp.LongPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;

import static io.segnet.core.engine.dnnl.Dnnl.LOAD_FAILURE;
import static io.segnet.core.engine.dnnl.Dnnl.LOCK;
import static io.segnet.core.engine.dnnl.Dnnl.check;
import static io.segnet.core.engine.dnnl.Dnnl.checkLength;
import static io.segnet.core.engine.dnnl.Dnnl.checkShape;
import static io.segnet.core.engine.dnnl.Dnnl.implName;
import static io.segnet.core.engine.dnnl.Dnnl.input;
import static io.segnet.core.engine.dnnl.Dnnl.md;
import static io.segnet.core.engine.dnnl.Dnnl.memory;
import static io.segnet.core.engine.dnnl.Dnnl.output;
import static io.segnet.core.engine.dnnl.Dnnl.primitiveDesc;
import static io.segnet.core.engine.dnnl.Dnnl.query;
import static io.segnet.core.engine.dnnl.Dnnl.requireAvailable;
import static io.segnet.core.engine.dnnl.Dnnl.settle;
import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * 2-D convolution, with stride and dilation (atrous convolution), and transposed convolution on NCHW float arrays,
 * computed by oneDNN through its own JavaCPP binding ({@code org.bytedeco:dnnl} 2.5.2), with forward and backward
 * (input, weight and bias gradients) passes. Segnet's float convolutions all run here: besides dilated convolutions,
 * which libnd4j cannot run (below), cached primitives make ordinary ones 1.2-2.5x faster than libnd4j's
 * {@code conv2d}/{@code conv2d_bp}, which set oneDNN up on every call (measured on U-Net shapes, batch 16).
 *
 * <p>Computes
 * {@code out[n, o, i, j] = b[o] + sum_{c, a, e} w[o, c, a, e] x[n, c, i s_h + a d_h - p_h, j s_w + e d_w - p_w]}
 * (zero outside the input), with {@code x [N, iC, H, W]}, {@code w [oC, iC, kH, kW]} and
 * {@code out [N, oC, Ho, Wo]}, {@code Ho = (H + 2 p_h - d_h (kH - 1) - 1) / s_h + 1} ({@code H + 2 p_h - d_h (kH - 1)}
 * at stride 1), likewise {@code Wo}. Dilation {@code d} is the distance between kernel taps (1 = ordinary
 * convolution); oneDNN's own API counts it from 0, which this class converts.
 *
 * <p>Why it exists: libnd4j's oneDNN glue computes the right padding as {@code (oH-1) sH - iH + kH - pH}, ignoring
 * dilation, so every dilated {@code conv2d} fails in the oneDNN build of ND4J ("could not create a descriptor for a
 * dilated convolution"). {@link io.segnet.core.engine.kernels.AtrousOps} computes those convolutions exactly with one
 * GEMM per kernel tap; this class calls oneDNN's dilated kernels instead, which are several times faster. It has the
 * same contract as {@code AtrousOps} (plus optional strides); {@link io.segnet.core.engine.ConvolutionBackend} uses it
 * where {@link #supports(DataType)} says so and falls back to {@code AtrousOps} or libnd4j otherwise.
 *
 * <p>How:
 * <ul>
 *   <li>The callers' arrays (contiguous; views into bigger buffers are fine) are wrapped in place as oneDNN memory in
 *       plain {@code nchw} / {@code oihw} / {@code a} formats. Each convolution primitive is created with format
 *       {@code any}, so oneDNN picks its blocked layout ({@code nChw16c} with AVX-512) and its direct JIT kernels;
 *       reorders convert to and from it (about 1 ms per 4 MB tensor, single-threaded). Where {@code any} only yields
 *       oneDNN's im2col + GEMM fallback (large paddings, e.g. the forward pass of rate 12 on 64 channels),
 *       channels-last ({@code nhwc}) is tried, for which oneDNN has BRGEMM kernels, and kept unless it also ends in
 *       GEMM.</li>
 *   <li>Kernel rows/columns whose taps read only padding for every output position are cropped first (exact: their
 *       products are zero, and so are their weight gradients). With a rate at least the feature map's size (DeepLab's
 *       ASPP at rate 18 on a 16x16 map) only the centre tap is left: a 1x1 convolution, 9x less work.</li>
 *   <li>Primitives, reorders and memory objects are created once per shape and parameters and cached (creation costs
 *       milliseconds); the blocked copies and oneDNN's scratchpad live in one shared native arena that grows to the
 *       largest call and is kept. One CPU engine and one stream serve the process; calls are serialised by one lock,
 *       and each convolution is multi-threaded by oneDNN itself. The engine, stream, lock and arena are shared with
 *       {@link DnnlBatchNormOps} (see {@code Dnnl}).</li>
 * </ul>
 *
 * <p>Threads: the binding's {@code libgomp.so.1} has the same soname as the OpenMP runtime that ND4J's native library
 * loads first, so JavaCPP links it to that one: oneDNN and ND4J share one OpenMP runtime and one thread pool (as many
 * threads as cores unless {@code OMP_NUM_THREADS} says otherwise) and do not oversubscribe each other. On a machine
 * whose cores are busy with other processes, libgomp's default spin-waiting at barriers makes every parallel region
 * wait for a scheduler tick (measured: 2-3x slower than one thread); {@code OMP_WAIT_POLICY=PASSIVE} (or
 * {@code GOMP_SPINCOUNT=10000}) in the environment of the JVM avoids that. libgomp reads these at start-up only, so
 * they cannot be set from here.
 */
public final class DnnlConvOps {
    private DnnlConvOps() {
    }

    /** True if oneDNN's binding loaded and the array type is supported (FLOAT). */
    public static boolean supports(INDArray x) {
        return supports(x.dataType());
    }

    /** True if oneDNN's binding loaded and {@code type} is supported (FLOAT). */
    public static boolean supports(DataType type) {
        return LOAD_FAILURE == null && type == DataType.FLOAT;
    }

    /** True if oneDNN's binding loaded. */
    public static boolean available() {
        return LOAD_FAILURE == null;
    }

    /**
     * Bytes of the native arena that holds the blocked-layout copies and scratchpads of oneDNN's convolutions and
     * batch norms (shared by all of them, grown to the largest call and kept), for memory reports.
     */
    public static long arenaBytes() {
        return LOAD_FAILURE == null ? Dnnl.Arena.capacity() : 0;
    }

    /** Why the binding did not load, or null if it did. */
    public static Throwable loadFailure() {
        return LOAD_FAILURE;
    }

    /**
     * One line naming the engine of segnet's float convolutions and batch norm: e.g. {@code oneDNN 2.5.2 (called
     * directly)}, or {@code portable (...)} with the reason ({@link io.segnet.core.engine.EngineSelection}).
     */
    public static String engineDescription() {
        return Dnnl.describe();
    }

    /**
     * {@code out = conv2d(x, w, dilation) + b} at stride 1.
     *
     * @param x   {@code [N, iC, H, W]}
     * @param w   {@code [oC, iC, kH, kW]}
     * @param b   {@code [oC]} (any shape of that length) or null
     * @param out {@code [N, oC, H + 2ph - dh(kH-1), W + 2pw - dw(kW-1)]}, fully overwritten
     * @throws IllegalArgumentException on shapes or types that do not fit
     * @throws IllegalStateException    if the binding did not load or oneDNN fails (e.g. has no implementation)
     */
    public static void forward(INDArray x, INDArray w, INDArray b, INDArray out, int ph, int pw, int dh, int dw) {
        forward(x, w, b, out, 1, 1, ph, pw, dh, dw);
    }

    /** As {@link #forward(INDArray, INDArray, INDArray, INDArray, int, int, int, int)} with strides {@code sh, sw}. */
    public static void forward(INDArray x, INDArray w, INDArray b, INDArray out, int sh, int sw, int ph, int pw,
                               int dh, int dw) {
        forward(x, w, b, out, sh, sw, ph, pw, dh, dw, false);
    }

    /**
     * As {@link #forward(INDArray, INDArray, INDArray, INDArray, int, int, int, int, int, int)}, and with
     * {@code relu} the output is {@code max(0, conv2d(x, w) + b)}: oneDNN applies the ReLU as a post-op while the
     * output is still in registers, which saves a pass over it (measured on I1, FCN-8s VGG16 at 256x256: the separate
     * in-place ReLU over the 15 activations took 5-7 ms of a 140 ms pass).
     */
    public static void forward(INDArray x, INDArray w, INDArray b, INDArray out, int sh, int sw, int ph, int pw,
                               int dh, int dw, boolean relu) {
        requireAvailable();
        Geo full = Geo.of(x, w, sh, sw, ph, pw, dh, dw);
        checkShape("out", out, full.n, full.oc, full.oh, full.ow);
        checkLength("b", b, full.oc);
        Geo g = full.cropped();
        run(relu ? FORWARD_RELU : FORWARD, g, x, g == full ? w : w.get(g.kernelWindow()).dup('c'), b, out, null,
                null, null, null);
    }

    /**
     * Backward pass at stride 1: overwrites {@code dx} {@code [N, iC, H, W]}, {@code dW} {@code [oC, iC, kH, kW]} and,
     * if non-null, {@code db} ({@code oC} elements), given {@code dy} {@code [N, oC, Ho, Wo]}.
     */
    public static void backward(INDArray x, INDArray w, INDArray dy, INDArray dx, INDArray dW, INDArray db, int ph,
                                int pw, int dh, int dw) {
        backward(x, w, dy, dx, dW, db, 1, 1, ph, pw, dh, dw);
    }

    /**
     * As {@link #backward(INDArray, INDArray, INDArray, INDArray, INDArray, INDArray, int, int, int, int)} with strides
     * {@code sh, sw}.
     */
    public static void backward(INDArray x, INDArray w, INDArray dy, INDArray dx, INDArray dW, INDArray db, int sh,
                                int sw, int ph, int pw, int dh, int dw) {
        requireAvailable();
        Geo full = Geo.of(x, w, sh, sw, ph, pw, dh, dw);
        checkShape("dy", dy, full.n, full.oc, full.oh, full.ow);
        checkShape("dx", dx, full.n, full.ic, full.h, full.w);
        checkShape("dW", dW, full.oc, full.ic, full.kh, full.kw);
        checkLength("db", db, full.oc);
        Geo g = full.cropped();
        if (g == full) {
            run(BACKWARD, g, x, w, null, null, dy, dx, dW, db);
            return;
        }
        INDArray dWc = Nd4j.createUninitialized(DataType.FLOAT, g.oc, g.ic, g.kh, g.kw);
        run(BACKWARD, g, x, w.get(g.kernelWindow()).dup('c'), null, null, dy, dx, dWc, db);
        // Taps that only ever see padding get a zero gradient.
        dW.assign(0);
        dW.get(g.kernelWindow()).assign(dWc);
    }

    /**
     * True if {@link #transposedForward} can compute a transposed convolution of {@code x} with {@code w}
     * ({@code [iC, oC, kH, kW]}) into an {@code oh x ow} output: FLOAT arrays and an output padding no larger than the
     * padding ({@code oh <= (H - 1) sh + kH - ph}).
     */
    public static boolean supportsTransposed(INDArray x, INDArray w, int sh, int sw, int ph, int pw, long oh,
                                             long ow) {
        return supports(x) && w.dataType() == DataType.FLOAT && Geo.transposed(x, w, sh, sw, ph, pw, oh, ow) != null;
    }

    /**
     * {@code out = conv_transpose2d(x, w) + b} (PyTorch's definition) with output padding
     * {@code out.size(2) - ((H - 1) sh - 2 ph + kH)} rows (likewise columns); see {@link #supportsTransposed}.
     *
     * @param x   {@code [N, iC, H, W]}
     * @param w   {@code [iC, oC, kH, kW]} (PyTorch's ConvTranspose2d layout)
     * @param b   {@code [oC]} (any shape of that length) or null
     * @param out {@code [N, oC, Ho, Wo]}, fully overwritten
     */
    public static void transposedForward(INDArray x, INDArray w, INDArray b, INDArray out, int sh, int sw, int ph,
                                         int pw) {
        requireAvailable();
        Geo g = transposedGeo(x, w, out, sh, sw, ph, pw);
        checkLength("b", b, g.oc);
        // Without bias: oneDNN 2.5 adds a deconvolution's bias with its reference (scalar) kernel, measured at a
        // third of the deconvolution's time; ND4J's broadcast add is vectorised.
        run(FORWARD, g, x, w, null, out, null, null, null, null);
        if (b != null) {
            Nd4j.getExecutioner().exec(new BroadcastAddOp(out, b.reshape(g.oc), out, 1));
        }
    }

    /**
     * Gradients of {@link #transposedForward}: overwrites {@code dx} {@code [N, iC, H, W]}, {@code dW}
     * {@code [iC, oC, kH, kW]} and, if non-null, {@code db} ({@code oC} elements), given {@code dy}
     * {@code [N, oC, Ho, Wo]}.
     */
    public static void transposedBackward(INDArray x, INDArray w, INDArray dy, INDArray dx, INDArray dW, INDArray db,
                                          int sh, int sw, int ph, int pw) {
        requireAvailable();
        Geo g = transposedGeo(x, w, dy, sh, sw, ph, pw);
        checkShape("dx", dx, g.n, g.ic, g.h, g.w);
        checkShape("dW", dW, g.ic, g.oc, g.kh, g.kw);
        checkLength("db", db, g.oc);
        run(BACKWARD, g, x, w, null, null, dy, dx, dW, db);
    }

    /**
     * Runs the plan of {@code kind} for {@code g} on the caller's arrays (forward: {@code x, w, b -> out}; backward:
     * {@code x, w, dy -> dx, dW, db}; null where a role is absent), through contiguous stand-ins where an array is a
     * strided view.
     */
    private static void run(int kind, Geo g, INDArray x, INDArray w, INDArray b, INDArray out, INDArray dy,
                            INDArray dx, INDArray dW, INDArray db) {
        INDArray[] roles = new INDArray[ROLES];
        roles[SRC] = input(x);
        roles[WEI] = input(w);
        roles[BIAS] = b == null ? null : input(b);
        roles[DIFF_DST] = dy == null ? null : input(dy);
        INDArray[] targets = {out, dx, dW, db};
        int[] outRoles = {DST, DIFF_SRC, DIFF_WEI, DIFF_BIAS};
        for (int i = 0; i < targets.length; i++) {
            roles[outRoles[i]] = targets[i] == null ? null : output(targets[i]);
        }
        boolean bias = kind == BACKWARD ? db != null : b != null;
        synchronized (LOCK) {
            Plan p = plan(new Key(kind, g, bias));
            for (int r = 0; r < ROLES; r++) {
                p.bind(r, roles[r]);
            }
            p.run();
        }
        for (int i = 0; i < targets.length; i++) {
            settle(roles[outRoles[i]], targets[i]);
        }
    }

    private static Geo transposedGeo(INDArray x, INDArray w, INDArray y, int sh, int sw, int ph, int pw) {
        if (y.rank() != 4) {
            throw new IllegalArgumentException("need an output [N, oC, Ho, Wo], got " + Arrays.toString(y.shape()));
        }
        Geo g = Geo.transposed(x, w, sh, sw, ph, pw, y.size(2), y.size(3));
        if (g == null) {
            throw new IllegalArgumentException("output " + Arrays.toString(y.shape()) + " needs more output padding"
                    + " than padding (" + ph + ", " + pw + ") for input " + Arrays.toString(x.shape()) + " and kernel "
                    + Arrays.toString(w.shape()) + "; check supportsTransposed first");
        }
        checkShape("output", y, g.n, g.oc, g.oh, g.ow);
        return g;
    }

    /**
     * The oneDNN implementations chosen for one convolution (e.g. {@code "fwd=jit:avx512_common
     * bwd_data=jit:avx512_common bwd_weights=jit:avx512_common"}), for diagnostics and benchmarks. {@code x} and
     * {@code w} give the shapes only.
     */
    public static String describe(INDArray x, INDArray w, boolean bias, int sh, int sw, int ph, int pw, int dh,
                                  int dw) {
        requireAvailable();
        Geo full = Geo.of(x, w, sh, sw, ph, pw, dh, dw), g = full.cropped();
        synchronized (LOCK) {
            return plan(new Key(FORWARD, g, bias)).impl + " " + plan(new Key(BACKWARD, g, bias)).impl
                    + (g == full ? "" : " (kernel cropped to the " + g.kh + "x" + g.kw + " taps that see the input)");
        }
    }

    /**
     * Arena bytes of the backward pass's blocked copies for these shapes (stride 1), as laid out and as they would be
     * without reuse of dead copies' places: {@code {internal, withoutReuse}}. For tests.
     */
    static long[] backwardInternalBytes(INDArray x, INDArray w, int ph, int pw) {
        requireAvailable();
        Geo g = Geo.of(x, w, 1, 1, ph, pw, 1, 1);
        synchronized (LOCK) {
            Plan p = plan(new Key(BACKWARD, g, false));
            return new long[] {p.internalBytes, p.internalBytesWithoutReuse};
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Geometry.

    /**
     * Geometry of one convolution: top/left/bottom/right padding ({@code pt, pl, pb, pr}) and, for a kernel cropped by
     * {@link #cropped()}, the position {@code (r0, c0)} of its first tap in the caller's kernel.
     */
    private record Geo(int n, int ic, int h, int w, int oc, int kh, int kw, int sh, int sw, int dh, int dw, int pt,
                       int pl, int pb, int pr, int oh, int ow, int r0, int c0, boolean transposed) {
        static Geo of(INDArray x, INDArray w, int sh, int sw, int ph, int pw, int dh, int dw) {
            if (x.rank() != 4 || w.rank() != 4) {
                throw new IllegalArgumentException("need x [N, iC, H, W] and w [oC, iC, kH, kW], got "
                        + Arrays.toString(x.shape()) + " and " + Arrays.toString(w.shape()));
            }
            if (w.size(1) != x.size(1)) {
                throw new IllegalArgumentException("w " + Arrays.toString(w.shape()) + " does not match the "
                        + x.size(1) + " input channels of x " + Arrays.toString(x.shape()));
            }
            if (sh < 1 || sw < 1 || dh < 1 || dw < 1 || ph < 0 || pw < 0) {
                throw new IllegalArgumentException("need stride >= 1, dilation >= 1 and padding >= 0, got stride ("
                        + sh + ", " + sw + "), padding (" + ph + ", " + pw + "), dilation (" + dh + ", " + dw + ")");
            }
            if (x.dataType() != DataType.FLOAT || w.dataType() != DataType.FLOAT) {
                throw new IllegalArgumentException("DnnlConvOps computes in FLOAT, got " + x.dataType() + " and "
                        + w.dataType());
            }
            int h = (int) x.size(2), wd = (int) x.size(3), kh = (int) w.size(2), kw = (int) w.size(3);
            int oh = Math.floorDiv(h + 2 * ph - dh * (kh - 1) - 1, sh) + 1;
            int ow = Math.floorDiv(wd + 2 * pw - dw * (kw - 1) - 1, sw) + 1;
            if (oh < 1 || ow < 1) {
                throw new IllegalArgumentException("empty output for input " + Arrays.toString(x.shape())
                        + " and kernel " + Arrays.toString(w.shape()) + " with dilation (" + dh + ", " + dw + ")");
            }
            // Bottom/right padding that makes oneDNN's output size oh x ow (= the top/left padding at stride 1).
            int pb = (oh - 1) * sh + dh * (kh - 1) + 1 - h - ph, pr = (ow - 1) * sw + dw * (kw - 1) + 1 - wd - pw;
            return new Geo((int) x.size(0), (int) x.size(1), h, wd, (int) w.size(0), kh, kw, sh, sw, dh, dw, ph, pw,
                    pb, pr, oh, ow, 0, 0, false);
        }

        /**
         * Geometry of a transposed convolution of {@code x [N, iC, H, W]} with {@code w [iC, oC, kH, kW]} (PyTorch's
         * layout) into an {@code oh x ow} output, or null if that output needs a negative bottom/right padding (output
         * padding larger than the padding), which oneDNN does not take.
         */
        static Geo transposed(INDArray x, INDArray w, int sh, int sw, int ph, int pw, long oh, long ow) {
            if (x.rank() != 4 || w.rank() != 4 || w.size(0) != x.size(1)) {
                throw new IllegalArgumentException("need x [N, iC, H, W] and w [iC, oC, kH, kW] with the same iC, got "
                        + Arrays.toString(x.shape()) + " and " + Arrays.toString(w.shape()));
            }
            if (sh < 1 || sw < 1 || ph < 0 || pw < 0) {
                throw new IllegalArgumentException("need stride >= 1 and padding >= 0, got stride (" + sh + ", " + sw
                        + "), padding (" + ph + ", " + pw + ")");
            }
            if (x.dataType() != DataType.FLOAT || w.dataType() != DataType.FLOAT) {
                throw new IllegalArgumentException("DnnlConvOps computes in FLOAT, got " + x.dataType() + " and "
                        + w.dataType());
            }
            int h = (int) x.size(2), wd = (int) x.size(3), kh = (int) w.size(2), kw = (int) w.size(3);
            // oneDNN: oh = (h - 1) sh + kh - pt - pb.
            int pb = (int) ((h - 1L) * sh + kh - ph - oh), pr = (int) ((wd - 1L) * sw + kw - pw - ow);
            if (oh < 1 || ow < 1 || pb < 0 || pr < 0) {
                return null;
            }
            return new Geo((int) x.size(0), (int) x.size(1), h, wd, (int) w.size(1), kh, kw, sh, sw, 1, 1, ph, pw,
                    pb, pr, (int) oh, (int) ow, 0, 0, true);
        }

        /**
         * This geometry without the kernel rows and columns whose taps fall in the padding for every output position
         * (their products are all zero), if there are any and the padding stays non-negative; else this. With a rate
         * at least the feature map's size (e.g. rate 18 on 16x16 with padding 18), only the centre tap remains and the
         * convolution is a 1x1 one: exact, and kH*kW times less work.
         */
        Geo cropped() {
            int[] rows = alive(h, kh, sh, dh, pt, oh), cols = alive(w, kw, sw, dw, pl, ow);
            if (rows == null || cols == null || rows[0] == 0 && rows[1] == kh - 1 && cols[0] == 0
                    && cols[1] == kw - 1) {
                return this;
            }
            int npt = pt - rows[0] * dh, npb = pb - (kh - 1 - rows[1]) * dh;
            int npl = pl - cols[0] * dw, npr = pr - (kw - 1 - cols[1]) * dw;
            if (npt < 0 || npb < 0 || npl < 0 || npr < 0) {
                return this;
            }
            return new Geo(n, ic, h, w, oc, rows[1] - rows[0] + 1, cols[1] - cols[0] + 1, sh, sw, dh, dw, npt, npl,
                    npb, npr, oh, ow, rows[0], cols[0], false);
        }

        /** First and last kernel index along one axis whose tap reads the input for some output position, or null. */
        private static int[] alive(int size, int k, int s, int d, int padBefore, int out) {
            int first = -1, last = -1;
            for (int a = 0; a < k; a++) {
                int off = a * d - padBefore;
                int i = Math.max(0, Math.floorDiv(-off + s - 1, s));
                if (i < out && (long) i * s + off <= size - 1) {
                    if (first < 0) {
                        first = a;
                    }
                    last = a;
                }
            }
            return first < 0 ? null : new int[] {first, last};
        }

        /** Indices of this (cropped) kernel in the caller's {@code [oC, iC, kH, kW]} kernel. */
        INDArrayIndex[] kernelWindow() {
            return new INDArrayIndex[] {NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(r0, r0 + kh),
                    NDArrayIndex.interval(c0, c0 + kw)};
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Plans: primitives, reorders and memory objects for one shape, cached.

    private static final int FORWARD = 0;
    private static final int BACKWARD = 1;
    /** The forward pass with a ReLU post-op. */
    private static final int FORWARD_RELU = 2;

    /** Convolution primitive kinds. */
    private static final int FWD = 0, BWD_DATA = 1, BWD_WEIGHTS = 2;

    /** Roles of the caller's arrays in a plan. */
    private static final int SRC = 0, WEI = 1, BIAS = 2, DST = 3, DIFF_SRC = 4, DIFF_WEI = 5, DIFF_BIAS = 6,
            DIFF_DST = 7, ROLES = 8;

    /** Plans kept (a model's layers times passes times batch sizes; each holds JIT code and small descriptors). */
    private static final int MAX_PLANS = 512;

    private static final Dnnl.PlanCache<Key, Plan> PLANS = new Dnnl.PlanCache<>(MAX_PLANS);

    private static Plan plan(Key k) {
        return PLANS.get(k, Plan::new, Plan::build);
    }

    /** Cache key: pass ({@code FORWARD}, {@code FORWARD_RELU} or {@code BACKWARD}), geometry, bias. */
    private record Key(int kind, Geo g, boolean bias) {
    }

    /**
     * A sequence of primitives (reorders and convolutions) over the caller's arrays and internal buffers; internal
     * buffers are at fixed offsets of the shared arena.
     */
    private static final class Plan extends Dnnl.PrimitiveSequence {
        Plan() {
            super(ROLES);
        }

        void build(Key k) {
            if (k.kind == BACKWARD) {
                buildBackward(k.g, k.bias);
            } else {
                buildForward(k.g, k.bias, k.kind == FORWARD_RELU);
            }
        }

        private void buildForward(Geo g, boolean bias, boolean relu) {
            Plan p = this;
            p.userRoles(g);
            dnnl_primitive_desc pd = p.keep(bestPd(FWD, g, bias, relu, null));
            dnnl_memory src = p.input(SRC, query(pd, dnnl_query_src_md));
            dnnl_memory wei = p.input(WEI, query(pd, dnnl_query_weights_md));
            dnnl_memory dst = p.output(DST, query(pd, dnnl_query_dst_md));
            p.add(pd, "fwd", DNNL_ARG_SRC, src, DNNL_ARG_WEIGHTS, wei, DNNL_ARG_BIAS, bias ? p.user[BIAS] : null,
                    DNNL_ARG_DST, dst);
            p.flushOutputs();
        }

        private void buildBackward(Geo g, boolean bias) {
            Plan p = this;
            p.userRoles(g);
            dnnl_primitive_desc hint = p.keep(bestPd(FWD, g, bias, false, null));
            dnnl_primitive_desc bdPd = p.keep(bestPd(BWD_DATA, g, false, false, hint));
            dnnl_primitive_desc bwPd = p.keep(bestPd(BWD_WEIGHTS, g, bias, false, hint));

            dnnl_memory wei = p.input(WEI, query(bdPd, dnnl_query_weights_md));
            dnnl_memory dd = p.input(DIFF_DST, query(bdPd, dnnl_query_diff_dst_md));
            dnnl_memory ds = p.output(DIFF_SRC, query(bdPd, dnnl_query_diff_src_md));
            p.add(bdPd, "bwd_data", DNNL_ARG_WEIGHTS, wei, DNNL_ARG_DIFF_DST, dd, DNNL_ARG_DIFF_SRC, ds);
            p.flushOutputs();
            p.releaseInput(WEI); // the weight pass does not read the weights: its gradient may take their place

            dnnl_memory src = p.input(SRC, query(bwPd, dnnl_query_src_md));
            dnnl_memory dd2 = p.input(DIFF_DST, query(bwPd, dnnl_query_diff_dst_md));
            dnnl_memory dwei = p.output(DIFF_WEI, query(bwPd, dnnl_query_diff_weights_md));
            p.add(bwPd, "bwd_weights", DNNL_ARG_SRC, src, DNNL_ARG_DIFF_DST, dd2, DNNL_ARG_DIFF_WEIGHTS, dwei,
                    DNNL_ARG_DIFF_BIAS, bias ? p.user[DIFF_BIAS] : null);
            p.flushOutputs();
        }

        /** Plain-format descriptors and (handle-less) memory objects for the caller's arrays. */
        private void userRoles(Geo g) {
            userMd[SRC] = md(dnnl_nchw, g.n, g.ic, g.h, g.w);
            // Transposed: PyTorch's [iC, oC, kH, kW] is oneDNN's deconvolution weights (oC, iC, kH, kW) stored iohw.
            userMd[WEI] = md(g.transposed ? dnnl_iohw : dnnl_oihw, g.oc, g.ic, g.kh, g.kw);
            userMd[BIAS] = md(dnnl_a, g.oc);
            userMd[DST] = md(dnnl_nchw, g.n, g.oc, g.oh, g.ow);
            userMd[DIFF_SRC] = userMd[SRC];
            userMd[DIFF_WEI] = userMd[WEI];
            userMd[DIFF_BIAS] = userMd[BIAS];
            userMd[DIFF_DST] = userMd[DST];
            for (int r = 0; r < ROLES; r++) {
                user[r] = memory(userMd[r]);
            }
        }
    }

    /**
     * The primitive descriptor for one convolution pass. Weights are always in oneDNN's preferred format. Activations
     * first too ({@code any}: usually a blocked layout such as {@code nChw16c}, served by the direct JIT kernels); when
     * that yields only oneDNN's im2col + GEMM fallback (which happens for large paddings, e.g. rate 12 on 64 channels),
     * channels-last ({@code nhwc}) is tried, for which oneDNN has its BRGEMM-based kernels, and kept unless it also
     * ends in GEMM. (Measured on the L2 shape: the forward pass drops from ~25-35 ms with GEMM to ~16 ms.)
     */
    private static dnnl_primitive_desc bestPd(int op, Geo g, boolean bias, boolean relu, dnnl_primitive_desc hint) {
        dnnl_primitive_desc pd = convPd(op, g, bias, relu, dnnl_format_tag_any, hint);
        if (!isGemm(implName(pd))) {
            return pd;
        }
        dnnl_primitive_desc alt;
        try {
            alt = convPd(op, g, bias, relu, dnnl_nhwc, hint);
        } catch (IllegalStateException e) {
            return pd;
        }
        if (isGemm(implName(alt))) {
            dnnl_primitive_desc_destroy(alt);
            return pd;
        }
        dnnl_primitive_desc_destroy(pd);
        return alt;
    }

    private static boolean isGemm(String impl) {
        return impl.contains("gemm") && !impl.startsWith("brg");
    }

    /**
     * A convolution primitive descriptor with activations in format {@code act}, weights {@code any}; with
     * {@code relu} (forward only) a ReLU post-op.
     */
    private static dnnl_primitive_desc convPd(int op, Geo g, boolean bias, boolean relu, int act,
                                              dnnl_primitive_desc hint) {
        dnnl_memory_desc_t src = md(act, g.n, g.ic, g.h, g.w), wei = md(dnnl_format_tag_any, g.oc, g.ic, g.kh, g.kw);
        dnnl_memory_desc_t dst = md(act, g.n, g.oc, g.oh, g.ow), b = bias ? md(dnnl_a, g.oc) : null;
        LongPointer strides = longs(g.sh, g.sw), dilates = longs(g.dh - 1, g.dw - 1);
        LongPointer padL = longs(g.pt, g.pl), padR = longs(g.pb, g.pr);
        dnnl_convolution_desc_t cd = new dnnl_convolution_desc_t();
        String what = (op == FWD ? "forward" : op == BWD_DATA ? "backward-data" : "backward-weights") + " " + g;
        int status = g.transposed ? switch (op) {
            case FWD -> dnnl_dilated_deconvolution_forward_desc_init(cd, dnnl_forward_training,
                    dnnl_deconvolution_direct, src, wei, b, dst, strides, dilates, padL, padR);
            case BWD_DATA -> dnnl_dilated_deconvolution_backward_data_desc_init(cd, dnnl_deconvolution_direct, src,
                    wei, dst, strides, dilates, padL, padR);
            default -> dnnl_dilated_deconvolution_backward_weights_desc_init(cd, dnnl_deconvolution_direct, src, wei,
                    b, dst, strides, dilates, padL, padR);
        } : switch (op) {
            case FWD -> dnnl_dilated_convolution_forward_desc_init(cd, dnnl_forward_training,
                    dnnl_convolution_direct, src, wei, b, dst, strides, dilates, padL, padR);
            case BWD_DATA -> dnnl_dilated_convolution_backward_data_desc_init(cd, dnnl_convolution_direct, src, wei,
                    dst, strides, dilates, padL, padR);
            default -> dnnl_dilated_convolution_backward_weights_desc_init(cd, dnnl_convolution_direct, src, wei, b,
                    dst, strides, dilates, padL, padR);
        };
        check(status, what + " descriptor");
        return primitiveDesc(cd, hint, what, relu ? DnnlConvOps::setReluPostOp : null);
    }

    /** Gives {@code attr} one post-op, {@code dst = max(0, dst)}. */
    private static void setReluPostOp(dnnl_primitive_attr attr) {
        dnnl_post_ops ops = new dnnl_post_ops();
        check(dnnl_post_ops_create(ops), "post-op creation");
        try {
            check(dnnl_post_ops_append_eltwise(ops, 1f, dnnl_eltwise_relu, 0f, 0f), "ReLU post-op");
            check(dnnl_primitive_attr_set_post_ops(attr, ops), "post-ops");
        } finally {
            dnnl_post_ops_destroy(ops);
        }
    }

    private static LongPointer longs(long a, long b) {
        return new LongPointer(a, b);
    }
}
