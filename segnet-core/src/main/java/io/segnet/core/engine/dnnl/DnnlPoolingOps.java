package io.segnet.core.engine.dnnl;

import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_pooling_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.javacpp.LongPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import static io.segnet.core.engine.dnnl.Dnnl.LOCK;
import static io.segnet.core.engine.dnnl.Dnnl.check;
import static io.segnet.core.engine.dnnl.Dnnl.checkShape;
import static io.segnet.core.engine.dnnl.Dnnl.jitPlainOrBlocked;
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
 * Max pooling for inference (values only, no indices) computed by oneDNN on the caller's plain {@code NCHW} arrays,
 * PyTorch's {@code max_pool2d}: {@code x [N, C, H, W] -> out [N, C, Ho, Wo]}, window {@code kh x kw}, strides
 * {@code sh, sw}, implicit padding {@code ph, pw} that never wins (as {@code -inf}); the output size is the caller's
 * ({@code ceil_mode} adds bottom/right padding).
 *
 * <p>Why: segnet's Java kernel ({@code PoolingOps.maxPoolValues}) runs on the fork-join pool right after oneDNN's
 * convolutions have run on OpenMP's threads, which spin for a while after each parallel region. Measured on I1
 * (FCN-8s VGG16, one 256x256 image, 2 cores): its five poolings took 7 ms per pass in the graph against 3 ms alone;
 * oneDNN's pooling runs on the OpenMP threads themselves.
 *
 * <p>NaN: oneDNN's maximum skips NaN (measured: a window of NaN, 5 and two numbers below 5 gives 5), where PyTorch's
 * returns NaN; segnet's Java kernel ({@code PoolingOps}) follows PyTorch.
 */
public final class DnnlPoolingOps {
    private DnnlPoolingOps() {
    }

    /** True if oneDNN's binding loaded and {@code x} is a FLOAT rank-4 array. */
    public static boolean supports(INDArray x) {
        return Dnnl.available() && x.dataType() == DataType.FLOAT && x.rank() == 4;
    }

    /**
     * {@code out = max_pool2d(x)}; see the class comment.
     *
     * @param x   {@code [N, C, H, W]}, FLOAT
     * @param out {@code [N, C, Ho, Wo]}, FLOAT, fully overwritten; every window must hold at least one input element
     * @throws IllegalArgumentException on shapes, types or windows that do not fit
     */
    public static void maxPool(INDArray x, INDArray out, int kh, int kw, int sh, int sw, int ph, int pw) {
        requireAvailable();
        if (x.rank() != 4) {
            throw new IllegalArgumentException("x must be [N, C, H, W], got rank " + x.rank());
        }
        long n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        checkShape("x", x, n, c, h, w);
        checkShape("out", out, n, c, out.size(2), out.size(3));
        long oh = out.size(2), ow = out.size(3);
        Key key = new Key(n, c, h, w, oh, ow, kh, kw, sh, sw, ph, pw);
        // Floor mode leaves up to stride - 1 trailing rows (columns) unread: negative padding, as oneDNN takes it.
        if (kh <= 0 || kw <= 0 || sh <= 0 || sw <= 0 || ph < 0 || pw < 0 || key.padBottom() <= -sh
                || key.padRight() <= -sw || ph >= kh || pw >= kw || (oh - 1) * sh - ph >= h
                || (ow - 1) * sw - pw >= w) {
            throw new IllegalArgumentException("a " + kh + "x" + kw + " window, stride " + sh + "x" + sw
                    + ", padding " + ph + "x" + pw + " does not map " + h + "x" + w + " to " + oh + "x" + ow);
        }
        INDArray xc = input(x), target = output(out);
        synchronized (LOCK) {
            Plan p = plan(key);
            p.bind(SRC, xc);
            p.bind(DST, target);
            p.run();
        }
        settle(target, out);
    }

    /** The implementation oneDNN chose for a shape (for tests and benchmarks). */
    static String implementation(long n, long c, long h, long w, long oh, long ow, int k, int s) {
        synchronized (LOCK) {
            return plan(new Key(n, c, h, w, oh, ow, k, k, s, s, 0, 0)).impl;
        }
    }

    private static final int SRC = 0, DST = 1, ROLES = 2;

    private static final Dnnl.PlanCache<Key, Plan> PLANS = new Dnnl.PlanCache<>(64);

    private static Plan plan(Key k) {
        return PLANS.get(k, Plan::new, Plan::build);
    }

    /** Cache key: shapes and window. */
    private record Key(long n, long c, long h, long w, long oh, long ow, int kh, int kw, int sh, int sw, int ph,
                       int pw) {
        /** Bottom padding that makes {@code h} pool to {@code oh} (negative for rows floor mode leaves unread). */
        long padBottom() {
            return (oh - 1) * sh + kh - h - ph;
        }

        /** Right padding, as {@link #padBottom()}. */
        long padRight() {
            return (ow - 1) * sw + kw - w - pw;
        }
    }

    /** One pooling primitive over the caller's {@code nchw} arrays. */
    private static final class Plan extends Dnnl.PrimitiveSequence {
        Plan() {
            super(ROLES);
        }

        void build(Key k) {
            userMd[SRC] = md(dnnl_nchw, k.n(), k.c(), k.h(), k.w());
            userMd[DST] = md(dnnl_nchw, k.n(), k.c(), k.oh(), k.ow());
            user[SRC] = memory(userMd[SRC]);
            user[DST] = memory(userMd[DST]);
            dnnl_primitive_desc pd = jitPlainOrBlocked(tag -> poolPd(k, tag));
            keep(pd);
            dnnl_memory src = input(SRC, query(pd, dnnl_query_src_md));
            dnnl_memory dst = output(DST, query(pd, dnnl_query_dst_md));
            add(pd, "pool", DNNL_ARG_SRC, src, DNNL_ARG_DST, dst);
            flushOutputs();
        }

        /** The max pooling primitive descriptor for {@code k} with source and destination in layout {@code tag}. */
        private static dnnl_primitive_desc poolPd(Key k, int tag) {
            dnnl_pooling_desc_t d = new dnnl_pooling_desc_t();
            check(dnnl_pooling_forward_desc_init(d, dnnl_forward_inference, dnnl_pooling_max,
                    md(tag, k.n(), k.c(), k.h(), k.w()), md(tag, k.n(), k.c(), k.oh(), k.ow()),
                    new LongPointer(k.sh(), k.sw()), new LongPointer(k.kh(), k.kw()), new LongPointer(k.ph(), k.pw()),
                    new LongPointer(k.padBottom(), k.padRight())), "max pooling descriptor");
            return primitiveDesc(d, null, "max pooling", null);
        }
    }
}
