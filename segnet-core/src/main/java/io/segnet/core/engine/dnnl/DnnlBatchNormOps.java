package io.segnet.core.engine.dnnl;

import io.segnet.core.engine.kernels.BatchNormOps;
import io.segnet.core.engine.kernels.Buf;

import io.segnet.core.runtime.GradientBuffers;
import org.bytedeco.dnnl.dnnl_batch_normalization_desc_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
 * Batch normalisation over the channel axis of NCHW FLOAT arrays, computed by oneDNN's {@code batch_normalization}
 * primitives through its JavaCPP binding ({@code org.bytedeco:dnnl} 2.5.2). Same contract and semantics as
 * {@link BatchNormOps} (PyTorch's {@code BatchNorm2d}): training mode normalises with the batch's mean and biased
 * variance and updates the running statistics as {@code running = (1 - momentum) running + momentum batch}, the
 * running variance taking the <em>unbiased</em> batch variance (oneDNN's is biased: it is multiplied by
 * {@code m / (m - 1)}, {@code m = N H W}); inference mode normalises with the running statistics; an optional ReLU is
 * fused; the training-mode backward pass flows through the batch statistics. Check {@link #supports(INDArray)} first
 * and use {@link BatchNormOps} otherwise (DOUBLE, for gradient checks).
 *
 * <p>How:
 * <ul>
 *   <li>oneDNN's batch norm on plain {@code nchw} data is a generic C++ implementation ({@code ncsp_bnorm}), several
 *       times slower than its JIT kernels, which need channels in the innermost position. So the data is reordered to
 *       a blocked layout ({@code nChw16c} when the channel count is a multiple of 16, else {@code nChw8c}, padded)
 *       in a shared native arena, normalised there, and reordered back; the reorders cost less than the JIT kernels
 *       save (measured single-threaded, [4, 64, 64, 64] fwd+bwd: about 7 ms against 8 ms in {@code nchw}, and 7
 *       against 20 ms or more with the fused ReLU). If no JIT kernel accepts any of these layouts, {@code nchw} is
 *       used as it is.</li>
 *   <li>Scale and shift ({@code gamma}, {@code beta}), the batch mean and variance and their gradients are the
 *       callers' arrays (or views) wrapped in place as 1-D oneDNN memory ({@code use_scale | use_shift}).</li>
 *   <li>Fused ReLU: training mode uses {@code fuse_norm_relu}, whose forward pass writes a workspace (one bit per
 *       element with the JIT kernels) that the backward pass uses to mask the gradient; the workspace is kept in
 *       {@link BatchStats}. Inference mode applies the ReLU in the forward primitive too; its backward pass masks the
 *       gradient with the forward output, as {@link BatchNormOps} does.</li>
 *   <li>Primitives are created once per shape, pass, ReLU flag and epsilon and cached; calls are serialised by the
 *       lock shared with {@link DnnlConvOps}, and each primitive is multi-threaded by oneDNN (see DnnlConvOps on
 *       threads and {@code OMP_WAIT_POLICY}).</li>
 * </ul>
 *
 * <p>Precision: oneDNN computes in float (two-pass mean and variance, float accumulators), BatchNormOps in double.
 * Against a double-precision reference, outputs and input gradients are within about 3e-6 of the largest magnitude
 * and scale/shift gradients within about 6e-6 on [32, 16, 64, 84] (BatchNormOps in FLOAT: about 1e-7). With the fused
 * ReLU, a pre-activation within float rounding of zero may fall on the other side of the kink than in double, and
 * that element's gradient then differs by {@code gamma invStd dy}, as between any float and double implementation.
 */
public final class DnnlBatchNormOps {
    private DnnlBatchNormOps() {
    }

    /** True if oneDNN's binding loaded and {@code x} is a FLOAT rank-4 array. */
    public static boolean supports(INDArray x) {
        return Dnnl.available() && x.dataType() == DataType.FLOAT && x.rank() == 4;
    }

    /** True if oneDNN's binding loaded. */
    public static boolean available() {
        return Dnnl.available();
    }

    /**
     * Per-channel statistics of one training-mode forward pass, kept for the backward pass: the batch mean and
     * (biased) variance as FLOAT arrays, the epsilon, and with a fused ReLU oneDNN's workspace (the ReLU mask). The
     * arrays live outside DL4J's workspaces. Pass a previous instance to
     * {@link #forwardTraining(INDArray, INDArray, INDArray, INDArray, INDArray, double, double, boolean, INDArray,
     * BatchStats)} to reuse its memory.
     */
    public static final class BatchStats {
        private final INDArray mean;
        private final INDArray variance;
        private final INDArray workspace;
        private final float eps;

        private BatchStats(INDArray mean, INDArray variance, INDArray workspace, float eps) {
            this.mean = mean;
            this.variance = variance;
            this.workspace = workspace;
            this.eps = eps;
        }

        /** The batch mean per channel. */
        public double[] mean() {
            return mean.toDoubleVector();
        }

        /** The biased batch variance per channel. */
        public double[] variance() {
            return variance.toDoubleVector();
        }

        /** {@code 1 / sqrt(variance + eps)} per channel. */
        public double[] invStd() {
            double[] v = variance();
            for (int c = 0; c < v.length; c++) {
                v[c] = 1.0 / Math.sqrt(v[c] + eps);
            }
            return v;
        }

        public double eps() {
            return eps;
        }

        /** True if the forward pass fused a ReLU and kept oneDNN's mask for the backward pass. */
        public boolean hasReluMask() {
            return workspace != null;
        }

        /** These statistics in {@link BatchNormOps}'s form. */
        public BatchNormOps.BatchStats toBatchNormOps() {
            return new BatchNormOps.BatchStats(mean(), invStd());
        }

        private boolean fits(long channels, long workspaceBytes) {
            return mean.length() == channels
                    && (workspace == null ? workspaceBytes == 0 : workspace.length() == workspaceBytes);
        }
    }

    /**
     * Training-mode forward pass.
     *
     * @param x           {@code [N, C, H, W]}, FLOAT
     * @param gamma       scale, {@code C} elements; {@code beta} shift, {@code C} elements
     * @param runningMean updated in place (may be null); {@code runningVar} likewise
     * @param out         {@code [N, C, H, W]}, fully overwritten
     * @return the batch statistics used
     */
    public static BatchStats forwardTraining(INDArray x, INDArray gamma, INDArray beta, INDArray runningMean,
                                             INDArray runningVar, double momentum, double eps, boolean relu,
                                             INDArray out) {
        return forwardTraining(x, gamma, beta, runningMean, runningVar, momentum, eps, relu, out, null);
    }

    /**
     * As {@link #forwardTraining(INDArray, INDArray, INDArray, INDArray, INDArray, double, double, boolean, INDArray)},
     * reusing the arrays of {@code reuse} (a previous result, or null) when they fit; {@code reuse} must not be used
     * afterwards.
     */
    public static BatchStats forwardTraining(INDArray x, INDArray gamma, INDArray beta, INDArray runningMean,
                                             INDArray runningVar, double momentum, double eps, boolean relu,
                                             INDArray out, BatchStats reuse) {
        requireAvailable();
        Shape s = Shape.of(x);
        checkShape("out", out, s.dims());
        checkParams(s, gamma, beta);
        checkLength("runningMean", runningMean, s.c);
        checkLength("runningVar", runningVar, s.c);
        if ((runningMean == null) != (runningVar == null)) {
            throw new IllegalArgumentException("runningMean and runningVar must both be given or both be null");
        }
        float e = (float) eps;
        INDArray xc = input(x), gc = input(gamma), bc = input(beta), target = output(out);
        BatchStats stats;
        synchronized (LOCK) {
            Plan p = plan(new Key(TRAIN_FWD, s, relu, e));
            stats = reuse != null && reuse.fits(s.c, p.workspaceBytes)
                    ? new BatchStats(reuse.mean, reuse.variance, reuse.workspace, e)
                    : newStats(s.c, p.workspaceBytes, e);
            p.bind(SRC, xc);
            p.bind(SCALE, gc);
            p.bind(SHIFT, bc);
            p.bind(DST, target);
            p.bind(MEAN, stats.mean);
            p.bind(VARIANCE, stats.variance);
            p.bind(WORKSPACE, stats.workspace);
            p.run();
        }
        settle(target, out);
        if (runningMean != null) {
            long m = s.n * s.h * s.w;
            double unbias = m > 1 ? (double) m / (m - 1) : 1.0;
            INDArray rmc = input(runningMean), rvc = input(runningVar);
            Buf bm = Buf.of(stats.mean), bv = Buf.of(stats.variance), rm = Buf.of(rmc), rv = Buf.of(rvc);
            for (int c = 0; c < s.c; c++) {
                rm.set(c, (1 - momentum) * rm.get(c) + momentum * bm.get(c));
                rv.set(c, (1 - momentum) * rv.get(c) + momentum * bv.get(c) * unbias);
            }
            settle(rmc, runningMean);
            settle(rvc, runningVar);
        }
        return stats;
    }

    /** Inference-mode forward pass with the running statistics. */
    public static void forwardInference(INDArray x, INDArray gamma, INDArray beta, INDArray runningMean,
                                        INDArray runningVar, double eps, boolean relu, INDArray out) {
        requireAvailable();
        Shape s = Shape.of(x);
        checkShape("out", out, s.dims());
        checkParams(s, gamma, beta);
        checkStats(s, runningMean, runningVar);
        INDArray xc = input(x), gc = input(gamma), bc = input(beta), mc = input(runningMean);
        INDArray vc = input(runningVar), target = output(out);
        synchronized (LOCK) {
            Plan p = plan(new Key(INFER_FWD, s, relu, (float) eps));
            p.bind(SRC, xc);
            p.bind(SCALE, gc);
            p.bind(SHIFT, bc);
            p.bind(MEAN, mc);
            p.bind(VARIANCE, vc);
            p.bind(DST, target);
            p.run();
        }
        settle(target, out);
    }

    /**
     * Training-mode backward pass (gradients flow through the batch statistics).
     *
     * @param stats the result of the forward pass on {@code x}
     * @param out   the forward output: used only when {@code relu} is set but {@code stats} has no ReLU mask
     * @param dx    {@code [N, C, H, W]}, fully overwritten; {@code dGamma}, {@code dBeta}: {@code C} elements,
     *              overwritten
     */
    public static void backwardTraining(INDArray x, INDArray gamma, BatchStats stats, boolean relu, INDArray out,
                                        INDArray dy, INDArray dx, INDArray dGamma, INDArray dBeta) {
        requireAvailable();
        Shape s = Shape.of(x);
        checkShape("dy", dy, s.dims());
        checkShape("dx", dx, s.dims());
        checkLength("gamma", gamma, s.c);
        checkLength("dGamma", dGamma, s.c);
        checkLength("dBeta", dBeta, s.c);
        if (stats.mean.length() != s.c) {
            throw new IllegalArgumentException("stats are for " + stats.mean.length() + " channels, x has " + s.c);
        }
        boolean useMask = relu && stats.workspace != null;
        INDArray g = relu && !useMask ? maskedByOutput(dy, out, s) : dy;
        run(new Key(TRAIN_BWD, s, useMask, stats.eps), x, gamma, stats.mean, stats.variance,
                useMask ? stats.workspace : null, g, dx, dGamma, dBeta);
        if (g != dy) {
            GradientBuffers.giveBack(g, dx);
        }
    }

    /** Inference-mode backward pass (statistics fixed): {@code dx = dy * gamma / sqrt(runningVar + eps)}. */
    public static void backwardInference(INDArray x, INDArray gamma, INDArray runningMean, INDArray runningVar,
                                         double eps, boolean relu, INDArray out, INDArray dy, INDArray dx,
                                         INDArray dGamma, INDArray dBeta) {
        requireAvailable();
        Shape s = Shape.of(x);
        checkShape("dy", dy, s.dims());
        checkShape("dx", dx, s.dims());
        checkLength("gamma", gamma, s.c);
        checkStats(s, runningMean, runningVar);
        checkLength("dGamma", dGamma, s.c);
        checkLength("dBeta", dBeta, s.c);
        INDArray g = relu ? maskedByOutput(dy, out, s) : dy;
        run(new Key(INFER_BWD, s, false, (float) eps), x, gamma, runningMean, runningVar, null, g, dx, dGamma, dBeta);
        if (g != dy) {
            GradientBuffers.giveBack(g, dx);
        }
    }

    private static void run(Key k, INDArray x, INDArray gamma, INDArray mean, INDArray variance, INDArray workspace,
                            INDArray dy, INDArray dx, INDArray dGamma, INDArray dBeta) {
        INDArray xc = input(x), mc = input(mean), vc = input(variance), gc = input(gamma), dyc = input(dy);
        INDArray dxt = output(dx), dgt = output(dGamma), dbt = output(dBeta);
        synchronized (LOCK) {
            Plan p = plan(k);
            p.bind(SRC, xc);
            p.bind(MEAN, mc);
            p.bind(VARIANCE, vc);
            p.bind(SCALE, gc);
            // oneDNN 2.5 counts the shift among the backward pass's inputs (it does not read it): any [C] buffer.
            p.bind(SHIFT, gc);
            p.bind(WORKSPACE, workspace);
            p.bind(DIFF_DST, dyc);
            p.bind(DIFF_SRC, dxt);
            p.bind(DIFF_SCALE, dgt);
            p.bind(DIFF_SHIFT, dbt);
            p.run();
        }
        settle(dxt, dx);
        settle(dgt, dGamma);
        settle(dbt, dBeta);
    }

    /**
     * The oneDNN implementations and layout used for one shape (e.g. {@code "nChw16c fwd=bnorm_jit:avx512_common
     * bwd=bnorm_jit:avx512_common"}), for diagnostics and benchmarks.
     */
    public static String describe(INDArray x, boolean relu) {
        requireAvailable();
        Shape s = Shape.of(x);
        synchronized (LOCK) {
            Plan f = plan(new Key(TRAIN_FWD, s, relu, 1e-5f)), b = plan(new Key(TRAIN_BWD, s, relu, 1e-5f));
            return f.layout + " " + f.impl + " " + b.impl;
        }
    }

    /**
     * {@code dy} with zeros where {@code out <= 0} (the fused ReLU's gradient mask), in a {@link GradientBuffers}
     * array that the caller gives back.
     */
    private static INDArray maskedByOutput(INDArray dy, INDArray out, Shape s) {
        if (out == null) {
            throw new IllegalArgumentException("the forward output is needed to mask the gradient of the fused ReLU");
        }
        checkShape("out", out, s.dims());
        INDArray masked = GradientBuffers.take(DataType.FLOAT, s.dims());
        Nd4j.exec(DynamicCustomOp.builder("relu_bp").addInputs(out, dy).addOutputs(masked)
                .addFloatingPointArguments(0.0).build());
        return masked;
    }

    private static BatchStats newStats(long channels, long workspaceBytes, float eps) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return new BatchStats(Nd4j.createUninitialized(DataType.FLOAT, channels),
                    Nd4j.createUninitialized(DataType.FLOAT, channels),
                    workspaceBytes == 0 ? null : Nd4j.createUninitialized(DataType.BYTE, workspaceBytes), eps);
        }
    }

    private static void checkParams(Shape s, INDArray gamma, INDArray beta) {
        if (gamma == null || beta == null) {
            throw new IllegalArgumentException("gamma and beta are required");
        }
        checkLength("gamma", gamma, s.c);
        checkLength("beta", beta, s.c);
    }

    private static void checkStats(Shape s, INDArray runningMean, INDArray runningVar) {
        if (runningMean == null || runningVar == null) {
            throw new IllegalArgumentException("runningMean and runningVar are required");
        }
        checkLength("runningMean", runningMean, s.c);
        checkLength("runningVar", runningVar, s.c);
    }

    /** Input shape {@code [n, c, h, w]}. */
    private record Shape(long n, long c, long h, long w) {
        static Shape of(INDArray x) {
            if (x.rank() != 4 || x.dataType() != DataType.FLOAT) {
                throw new IllegalArgumentException("DnnlBatchNormOps needs a FLOAT [N, C, H, W] array, got "
                        + x.dataType() + " " + Arrays.toString(x.shape()));
            }
            if (x.length() == 0) {
                throw new IllegalArgumentException("empty input " + Arrays.toString(x.shape()));
            }
            return new Shape(x.size(0), x.size(1), x.size(2), x.size(3));
        }

        long[] dims() {
            return new long[] {n, c, h, w};
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Plans: primitives, reorders and memory objects for one shape and pass, cached.

    /** Passes. */
    private static final int TRAIN_FWD = 0, INFER_FWD = 1, TRAIN_BWD = 2, INFER_BWD = 3;

    /** Roles of the caller's arrays in a plan. */
    private static final int SRC = 0, DST = 1, DIFF_DST = 2, DIFF_SRC = 3, SCALE = 4, SHIFT = 5, MEAN = 6,
            VARIANCE = 7, DIFF_SCALE = 8, DIFF_SHIFT = 9, WORKSPACE = 10, ROLES = 11;

    /**
     * Forces the computation layout for new plans ({@code dnnl_nchw}, {@code dnnl_nChw16c}, ...), or 0 for the
     * automatic choice; for tests and benchmarks. Clears the plan cache.
     */
    static void forceLayout(int tag) {
        synchronized (LOCK) {
            forcedLayout = tag;
            PLANS.clear();
        }
    }

    private static int forcedLayout;

    private static final Dnnl.PlanCache<Key, Plan> PLANS = new Dnnl.PlanCache<>(64);

    private static Plan plan(Key k) {
        return PLANS.get(k, Plan::new, Plan::build);
    }

    /** Cache key: pass, shape, fused ReLU (with oneDNN's mask), epsilon. */
    private record Key(int pass, Shape s, boolean relu, float eps) {
    }

    /**
     * Layouts tried in order for the JIT kernels, each with the channel multiple it is tried for: 16-channel blocks
     * without padding, else 8-channel blocks (padding at most 7 channels; measured faster than {@code nchw} even for
     * 5 channels, and several times faster with the fused ReLU), else anything the JIT kernels take.
     */
    private static final int[][] BLOCKED = {{dnnl_nChw16c, 16}, {dnnl_nChw8c, 1}, {dnnl_nChw16c, 1}, {dnnl_nhwc, 1}};

    /**
     * The caller's arrays (plain {@code nchw} and 1-D) and a sequence of primitives over them and internal buffers
     * (blocked copies, at fixed offsets of the shared arena).
     */
    private static final class Plan extends Dnnl.PrimitiveSequence {
        long workspaceBytes;
        String layout = "";

        Plan() {
            super(ROLES);
        }

        void build(Key k) {
            Shape s = k.s();
            long[] dims = s.dims();
            dnnl_memory_desc_t plain = md(dnnl_nchw, dims), vec = md(dnnl_a, s.c);
            for (int r : new int[] {SRC, DST, DIFF_DST, DIFF_SRC}) {
                userMd[r] = plain;
            }
            for (int r : new int[] {SCALE, SHIFT, MEAN, VARIANCE, DIFF_SCALE, DIFF_SHIFT}) {
                userMd[r] = vec;
            }
            for (int r = 0; r < ROLES; r++) {
                if (userMd[r] != null) {
                    user[r] = memory(userMd[r]);
                }
            }
            boolean global = k.pass() == INFER_FWD || k.pass() == INFER_BWD;
            int flags = dnnl_use_scale | dnnl_use_shift | (global ? dnnl_use_global_stats : 0)
                    | (k.relu() ? dnnl_fuse_norm_relu : 0);
            int prop = k.pass() == INFER_FWD ? dnnl_forward_inference : dnnl_forward_training;
            dnnl_primitive_desc fwd = null;
            int tag = forcedLayout;
            if (tag == 0) {
                for (int[] t : BLOCKED) {
                    if (s.c % t[1] != 0) {
                        continue;
                    }
                    dnnl_primitive_desc pd = tryPd(prop, md(t[0], dims), null, flags, k.eps(), null);
                    if (pd != null && implName(pd).startsWith("bnorm_jit")) {
                        fwd = pd;
                        tag = t[0];
                        break;
                    }
                    if (pd != null) {
                        dnnl_primitive_desc_destroy(pd);
                    }
                }
                if (fwd == null) {
                    tag = dnnl_nchw;
                }
            }
            layout = layoutName(tag);
            dnnl_memory_desc_t data = md(tag, dims);
            if (fwd == null) {
                fwd = bnPd(prop, data, null, flags, k.eps(), null);
            }
            keep(fwd);
            if (k.pass() == TRAIN_FWD || k.pass() == INFER_FWD) {
                dnnl_memory src = input(SRC, data);
                dnnl_memory dst = output(DST, data);
                List<Object> a = new ArrayList<>(List.of(DNNL_ARG_SRC, src, DNNL_ARG_DST, dst,
                        DNNL_ARG_SCALE, user[SCALE], DNNL_ARG_SHIFT, user[SHIFT],
                        DNNL_ARG_MEAN, user[MEAN], DNNL_ARG_VARIANCE, user[VARIANCE]));
                addWorkspace(fwd, a);
                add(fwd, "fwd", a.toArray());
                flushOutputs();
            } else {
                dnnl_primitive_desc bwd = keep(bnPd(dnnl_backward, data, data, flags, k.eps(), fwd));
                dnnl_memory src = input(SRC, data);
                dnnl_memory dd = input(DIFF_DST, data);
                dnnl_memory ds = output(DIFF_SRC, data);
                List<Object> a = new ArrayList<>(List.of(DNNL_ARG_SRC, src, DNNL_ARG_DIFF_DST, dd,
                        DNNL_ARG_MEAN, user[MEAN], DNNL_ARG_VARIANCE, user[VARIANCE],
                        DNNL_ARG_SCALE, user[SCALE], DNNL_ARG_SHIFT, user[SHIFT], DNNL_ARG_DIFF_SRC, ds,
                        DNNL_ARG_DIFF_SCALE, user[DIFF_SCALE], DNNL_ARG_DIFF_SHIFT, user[DIFF_SHIFT]));
                addWorkspace(bwd, a);
                add(bwd, "bwd", a.toArray());
                flushOutputs();
            }
        }

        /** Adds the workspace argument if {@code pd} has one (fused ReLU in training), as a caller-provided buffer. */
        private void addWorkspace(dnnl_primitive_desc pd, List<Object> a) {
            dnnl_memory_desc_t ws = query(pd, dnnl_query_workspace_md);
            long bytes = ws == null ? 0 : dnnl_memory_desc_get_size(ws);
            if (bytes > 0) {
                userMd[WORKSPACE] = ws;
                user[WORKSPACE] = memory(ws);
                workspaceBytes = bytes;
                a.add(DNNL_ARG_WORKSPACE);
                a.add(user[WORKSPACE]);
            }
        }
    }

    private static String layoutName(int tag) {
        if (tag == dnnl_nchw) {
            return "nchw";
        } else if (tag == dnnl_nhwc) {
            return "nhwc";
        } else if (tag == dnnl_nChw16c) {
            return "nChw16c";
        } else if (tag == dnnl_nChw8c) {
            return "nChw8c";
        }
        return "tag " + tag;
    }

    /** A batch-normalisation primitive descriptor, or null if oneDNN has no implementation for it. */
    private static dnnl_primitive_desc tryPd(int prop, dnnl_memory_desc_t data, dnnl_memory_desc_t diff, int flags,
                                             float eps, dnnl_primitive_desc hint) {
        try {
            return bnPd(prop, data, diff, flags, eps, hint);
        } catch (IllegalStateException e) {
            return null;
        }
    }

    private static dnnl_primitive_desc bnPd(int prop, dnnl_memory_desc_t data, dnnl_memory_desc_t diff, int flags,
                                            float eps, dnnl_primitive_desc hint) {
        dnnl_batch_normalization_desc_t d = new dnnl_batch_normalization_desc_t();
        String what = (diff == null ? "forward" : "backward") + " batch norm";
        check(diff == null ? dnnl_batch_normalization_forward_desc_init(d, prop, data, eps, flags)
                : dnnl_batch_normalization_backward_desc_init(d, prop, diff, data, eps, flags), what + " descriptor");
        return primitiveDesc(d, hint, what, null);
    }
}
