package io.segnet.core.layers;

import io.segnet.core.engine.EngineSelection;
import io.segnet.core.engine.kernels.BatchNormOps;
import io.segnet.core.engine.dnnl.DnnlBatchNormOps;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/**
 * Batch normalisation over channels, PyTorch's {@code nn.BatchNorm2d} (Ioffe and Szegedy 2015):
 * {@code [N, C, H, W] -> [N, C, H, W]}, {@code y = gamma (x - mean) / sqrt(var + eps) + beta}.
 *
 * <p>Training mode uses the batch's statistics and updates the running ones
 * ({@code running = (1 - momentum) running + momentum batch}, unbiased variance); inference mode uses the running
 * statistics. Parameters {@code gamma, beta: [C]} are trained; {@code runningMean, runningVar: [C]} are saved with the
 * model but never touched by the optimiser or weight decay. An optional ReLU is fused (conv-BN-ReLU blocks).
 * Defaults: {@code eps = 1e-5}, {@code momentum = 0.1}, as PyTorch.
 *
 * <p>{@code frozenStatistics} (default false) makes training mode behave as inference mode: the running statistics
 * normalise and stay unchanged, while gamma and beta still receive gradients (timm's and Detectron2's
 * {@code FrozenBatchNorm2d}, mmsegmentation's {@code norm_eval}). A trainer sets it on a frozen encoder.
 *
 * <p>FLOAT activations are normalised by oneDNN ({@link DnnlBatchNormOps}) when its binding is available; DOUBLE ones
 * (gradient checks) by {@link BatchNormOps}. Both have the same semantics.
 */
public class BatchNorm extends SegnetLayer {
    private long channels;
    private double eps = 1e-5;
    private double momentum = 0.1;
    private FusedActivation activation = FusedActivation.IDENTITY;
    private boolean frozenStatistics;

    /** For JSON; the channel count is taken from the graph's input type if not set. */
    public BatchNorm() {
    }

    /** Batch norm over {@code channels} channels. */
    public BatchNorm(long channels) {
        this.channels = channels;
    }

    public BatchNorm eps(double e) { eps = e; return this; }
    public BatchNorm momentum(double m) { momentum = m; return this; }
    public BatchNorm activation(FusedActivation a) { activation = a; return this; }
    public BatchNorm name(String name) { setLayerName(name); return this; }
    /** Whether training-mode passes use (and keep) the running statistics; see the class comment. */
    public BatchNorm frozenStatistics(boolean frozen) { frozenStatistics = frozen; return this; }

    public long getChannels() { return channels; }
    public double getEps() { return eps; }
    public double getMomentum() { return momentum; }
    public boolean isFrozenStatistics() { return frozenStatistics; }
    public FusedActivation getActivation() { return activation; }

    @Override
    public List<ParamSpec> paramSpecs() {
        require(channels > 0, "channel count must be positive, got " + channels);
        require(eps > 0, "eps must be positive, got " + eps);
        require(momentum >= 0 && momentum <= 1, "momentum must be in [0, 1], got " + momentum);
        long[] c = {channels};
        return List.of(new ParamSpec("gamma", c, ParamSpec.Init.ONES, channels, channels),
                new ParamSpec("beta", c, ParamSpec.Init.ZEROS, channels, channels),
                new ParamSpec("runningMean", c, ParamSpec.Init.STAT_ZEROS, channels, channels),
                new ParamSpec("runningVar", c, ParamSpec.Init.STAT_ONES, channels, channels));
    }

    @Override
    public long expectedChannels() {
        return Math.max(channels, 0);
    }

    @Override
    protected void setExpectedChannels(long c) {
        channels = c;
    }

    @Override
    protected InputType outputType(InputType.InputTypeConvolutional in) {
        return in;
    }

    @Override
    protected org.deeplearning4j.nn.api.Layer createRuntime(NeuralNetConfiguration conf, DataType dataType) {
        return new Runtime(conf, dataType);
    }

    /** Runtime of {@link BatchNorm}. */
    public static final class Runtime extends SegnetLayerRuntime<BatchNorm> {
        /** oneDNN is usable: its binding's classes are on the class path and its native library loaded. */
        private static final boolean DNNL = oneDnnAvailable();

        private static boolean oneDnnAvailable() {
            try {
                return EngineSelection.oneDnn() && DnnlBatchNormOps.available();
            } catch (LinkageError e) {
                return false; // the org.bytedeco:dnnl jar is missing: BatchNormOps serves every data type
            }
        }

        /** True if the last forward pass was in training mode (its batch statistics are below). */
        private boolean batchStats;
        /** Batch statistics of the last training-mode pass through BatchNormOps; null on the oneDNN path. */
        private BatchNormOps.BatchStats stats;
        /** Batch statistics (and ReLU mask) of the last training-mode pass through oneDNN; reused across passes. */
        private DnnlBatchNormOps.BatchStats dnnlStats;
        private INDArray output;

        public Runtime(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        protected INDArray forward(INDArray x, boolean training, LayerWorkspaceMgr ws) {
            BatchNorm c = layerConf();
            boolean relu = c.activation == FusedActivation.RELU;
            INDArray out = newOutput(ws, x.shape());
            if (training && !c.frozenStatistics) {
                if (x.size(0) * x.size(2) * x.size(3) < 2) {
                    throw new IllegalArgumentException(c.describe() + ": training-mode batch norm needs more than one"
                            + " value per channel, got input " + java.util.Arrays.toString(x.shape())
                            + "; use a batch of 2 or more");
                }
                batchStats = true;
                if (DNNL && DnnlBatchNormOps.supports(x)) {
                    stats = null;
                    dnnlStats = DnnlBatchNormOps.forwardTraining(x, param("gamma"), param("beta"),
                            param("runningMean"), param("runningVar"), c.momentum, c.eps, relu, out, dnnlStats);
                } else {
                    stats = BatchNormOps.forwardTraining(x, param("gamma"), param("beta"), param("runningMean"),
                            param("runningVar"), c.momentum, c.eps, relu, out);
                }
            } else {
                batchStats = false;
                stats = null;
                if (DNNL && DnnlBatchNormOps.supports(x)) {
                    DnnlBatchNormOps.forwardInference(x, param("gamma"), param("beta"), param("runningMean"),
                            param("runningVar"), c.eps, relu, out);
                } else {
                    BatchNormOps.forwardInference(x, param("gamma"), param("beta"), param("runningMean"),
                            param("runningVar"), c.eps, relu, out);
                }
            }
            output = out;
            return out;
        }

        @Override
        protected INDArray backward(INDArray x, INDArray dy, LayerWorkspaceMgr ws) {
            BatchNorm c = layerConf();
            boolean relu = c.activation == FusedActivation.RELU;
            INDArray dx = newInputGradient(ws, x.shape());
            if (batchStats && stats != null) {
                BatchNormOps.backwardTraining(x, param("gamma"), stats, relu, output, dy, dx, grad("gamma"),
                        grad("beta"));
            } else if (batchStats) {
                DnnlBatchNormOps.backwardTraining(x, param("gamma"), dnnlStats, relu, output, dy, dx, grad("gamma"),
                        grad("beta"));
            } else if (DNNL && DnnlBatchNormOps.supports(x)) {
                DnnlBatchNormOps.backwardInference(x, param("gamma"), param("runningMean"), param("runningVar"),
                        c.eps, relu, output, dy, dx, grad("gamma"), grad("beta"));
            } else {
                BatchNormOps.backwardInference(x, param("gamma"), param("runningMean"), param("runningVar"), c.eps,
                        relu, output, dy, dx, grad("gamma"), grad("beta"));
            }
            grad("runningMean").assign(0.0);
            grad("runningVar").assign(0.0);
            return dx;
        }
    }
}
