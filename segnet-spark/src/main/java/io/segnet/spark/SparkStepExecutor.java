package io.segnet.spark;

import io.segnet.data.Rng;
import io.segnet.data.batch.BatchOptions;
import io.segnet.data.batch.SegmentationBatchIterator;
import io.segnet.models.SegmentationModel;
import io.segnet.train.StepExecutor;
import io.segnet.train.TrainerConfig;
import io.segnet.train.TrainingData;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Data-parallel optimiser steps on Spark, by parameter averaging: a round of {@code workers x averageEvery}
 * consecutive batches (in the single-machine order) is split into contiguous blocks, one per worker; every worker
 * starts from the driver's parameters and optimiser state (one broadcast per round), fits its block with the model's
 * own optimiser, one step per batch, and the driver sets the model to the mean of the workers' parameters and
 * optimiser state (a tree reduction). Batch-norm running statistics are parameters here and are averaged alike.
 *
 * <p>With one worker a round is exactly the single-machine steps: same batches, same order, same iteration counts,
 * the same random seed at each epoch's first batch. Tasks hold no state between rounds (each starts from the round's
 * broadcast), so Spark may re-run a failed or killed task and gets the same result.
 */
public final class SparkStepExecutor implements StepExecutor {

    /**
     * Models loaded on this JVM, per run: one per concurrent task, reused across rounds. A task of a new run drops
     * the models of earlier runs (the driver drops its own at the end of a run).
     */
    private static final Map<String, Deque<SegmentationModel>> MODELS = new ConcurrentHashMap<>();

    private final JavaSparkContext sc;
    private final SparkTrainingData data;
    private final TrainerConfig config;
    private final int workers;
    private final int averageEvery;
    private final String runId = UUID.randomUUID().toString();
    private final List<RoundTiming> timings = new ArrayList<>();
    private Broadcast<byte[]> model;
    private Broadcast<SerializableConfiguration> hadoop;

    /**
     * The time of one round.
     *
     * @param batches       batches fitted
     * @param workers       workers that fitted them
     * @param seconds       the round's wall time on the driver
     * @param workerSeconds the longest worker's fitting time
     * @param stateBytes    bytes of parameters and optimiser state sent to the workers (and back from each)
     */
    public record RoundTiming(int batches, int workers, double seconds, double workerSeconds, long stateBytes) {
        /** Time not spent fitting: broadcast, scheduling, reduction, setting the averages. */
        public double communicationSeconds() {
            return seconds - workerSeconds;
        }
    }

    /**
     * @param workers      data-parallel replicas (Spark tasks per round), {@code >= 1}
     * @param averageEvery optimiser steps each worker makes between averages, {@code >= 1}
     */
    SparkStepExecutor(JavaSparkContext sc, SparkTrainingData data, TrainerConfig config, int workers,
                      int averageEvery) {
        if (workers < 1 || averageEvery < 1) {
            throw new IllegalArgumentException("workers " + workers + " and averageEvery " + averageEvery
                    + " must both be at least 1");
        }
        this.sc = sc;
        this.data = data;
        this.config = config;
        this.workers = workers;
        this.averageEvery = averageEvery;
    }

    @Override
    public int batchesPerCall() {
        return workers * averageEvery;
    }

    @Override
    public boolean readsLocalBatches() {
        return false;
    }

    /** The rounds so far. */
    public List<RoundTiming> timings() {
        return List.copyOf(timings);
    }

    /** A worker's share of a round. */
    record Block(int epoch, int firstBatch, int count, int iteration) implements Serializable {
    }

    /** What workers send back, summed over workers by the tree reduction. */
    record Sum(float[] params, float[] updater, int workers, double seconds, TreeMap<Integer, Step> steps)
            implements Serializable {

        Sum add(Sum o) {
            for (int i = 0; i < params.length; i++) {
                params[i] += o.params[i];
            }
            for (int i = 0; i < updater.length; i++) {
                updater[i] += o.updater[i];
            }
            TreeMap<Integer, Step> all = new TreeMap<>(steps);
            all.putAll(o.steps);
            return new Sum(params, updater, workers + o.workers, Math.max(seconds, o.seconds), all);
        }
    }

    @Override
    public List<Step> fit(Round round) {
        long start = System.nanoTime();
        ComputationGraph graph = round.model().graph();
        if (model == null) {
            checkResultSize(round.model());
            model = sc.broadcast(bytes(round.model()));
            hadoop = sc.broadcast(new SerializableConfiguration(sc.hadoopConfiguration()));
        }
        float[] params = floats(graph.params());
        INDArray view = graph.getUpdater() == null ? null : graph.getUpdater().getStateViewArray();
        float[] updater = view == null ? new float[0] : floats(view);
        Broadcast<float[][]> state = sc.broadcast(new float[][] {params, updater});
        List<Block> blocks = new ArrayList<>();
        int used = Math.min(workers, round.count());
        for (int w = 0, from = 0; w < used; w++) {
            int n = round.count() / used + (w < round.count() % used ? 1 : 0);
            blocks.add(new Block(round.epoch(), round.firstBatch() + from, n, round.iteration() + from));
            from += n;
        }
        Broadcast<byte[]> m = model;
        Broadcast<SerializableConfiguration> h = hadoop;
        String id = runId;
        SparkTrainingData d = data;
        long seed = config.seed();
        int batchSize = config.batchSize();
        int multiple = round.model().config().inputSizeRule().multiple();
        Sum sum;
        try {
            sum = sc.parallelize(blocks, blocks.size())
                    .map(b -> fitBlock(b, id, m, state.value(), d, seed, batchSize, multiple, h.value()))
                    .treeReduce(Sum::add);
        } finally {
            state.destroy();
        }
        float scale = 1f / sum.workers();
        assign(graph.params(), sum.params(), scale);
        if (view != null) {
            assign(view, sum.updater(), scale);
        }
        graph.getConfiguration().setIterationCount(round.iteration() + round.count());
        graph.getConfiguration().setEpochCount(round.epoch());
        timings.add(new RoundTiming(round.count(), used, (System.nanoTime() - start) / 1e9, sum.seconds(),
                4L * (params.length + updater.length)));
        return new ArrayList<>(sum.steps().values());
    }

    /**
     * Refuses, before the first round, a run whose workers' results would exceed {@code spark.driver.maxResultSize}
     * (Spark would fail the round with a message about serialized results).
     */
    private void checkResultSize(SegmentationModel m) {
        ComputationGraph g = m.graph();
        long values = g.params().length() + (g.getUpdater() == null || g.getUpdater().getStateViewArray() == null ? 0
                : g.getUpdater().getStateViewArray().length());
        String problem = resultSizeProblem(workers, values,
                sc.getConf().getSizeAsBytes("spark.driver.maxResultSize", "1g"));
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /**
     * Why {@code workers} results of {@code values} floats each exceed the driver's result limit, or null if they
     * fit ({@code limit} 0 is no limit).
     */
    static String resultSizeProblem(int workers, long values, long limit) {
        long perWorker = 4 * values;
        long needed = workers * perWorker + workers * (perWorker >> 6) + (1L << 20); // + serialisation overhead
        if (limit <= 0 || needed <= limit) {
            return null;
        }
        return String.format(java.util.Locale.ROOT, "each of the %d workers sends back %.1f MB of parameters and"
                + " optimiser state per round, %.1f MB in all, more than spark.driver.maxResultSize (%.1f MB); start"
                + " Spark with --conf spark.driver.maxResultSize=%dm (or 0 for no limit), or use fewer workers",
                workers, perWorker / 1e6, needed / 1e6, limit / 1e6, (needed >> 20) + 1);
    }

    /** Releases the run's broadcast model (the executors drop their copies). */
    void close() {
        if (model != null) {
            model.destroy();
            hadoop.destroy();
            model = null;
        }
    }

    private static byte[] bytes(SegmentationModel m) {
        try {
            return SparkModel.writeThroughTempFile(file -> m.save(file, true));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise the model for the workers: " + e.getMessage(), e);
        }
    }

    /** On a worker: fits one block from the round's state and returns the resulting parameters and losses. */
    static Sum fitBlock(Block b, String runId, Broadcast<byte[]> modelBytes, float[][] state, SparkTrainingData data,
                        long seed, int batchSize, int sizeMultiple, SerializableConfiguration hadoop)
            throws IOException {
        long start = System.nanoTime();
        if (!MODELS.containsKey(runId)) {
            MODELS.keySet().removeIf(other -> !other.equals(runId)); // an executor keeps the models of one run only
        }
        Deque<SegmentationModel> free = MODELS.computeIfAbsent(runId, k -> new ConcurrentLinkedDeque<>());
        SegmentationModel model = free.poll();
        if (model == null) {
            model = SparkModel.readThroughTempFile(modelBytes.value(), SegmentationModel::load);
        }
        try {
            ComputationGraph graph = model.graph();
            assign(graph.params(), state[0], 1f);
            if (state[1].length > 0) {
                assign(graph.getUpdater().getStateViewArray(), state[1], 1f);
            }
            graph.getConfiguration().setEpochCount(b.epoch());
            graph.getConfiguration().setIterationCount(b.iteration());
            // the trainer seeds ND4J's generator (dropout) at each epoch's first batch; other blocks get their own
            Nd4j.getRandom().setSeed(b.firstBatch() == 0 ? Rng.mix(seed * 31 + b.epoch())
                    : Rng.mix(Rng.mix(seed * 31 + b.epoch()) + b.firstBatch()));
            TrainingData training = data.toTrainingData(hadoop.value(), sizeMultiple);
            int n = training.train().size();
            BatchOptions options = new BatchOptions(batchSize, true, n >= batchSize, seed, 1, 1);
            TreeMap<Integer, Step> steps = new TreeMap<>();
            try (SegmentationBatchIterator batches = new SegmentationBatchIterator(training.train(),
                    training.trainTransform(), options)) {
                for (int j = 0; j < b.count(); j++) {
                    TaskContext task = TaskContext.get();
                    if (task != null) {
                        task.killTaskIfInterrupted();
                    }
                    steps.put(b.firstBatch() + j, StepExecutor.fit(model, batches.batch(b.epoch(), b.firstBatch() + j)));
                }
            }
            float[] params = floats(graph.params());
            float[] updater = state[1].length == 0 ? new float[0] : floats(graph.getUpdater().getStateViewArray());
            return new Sum(params, updater, 1, (System.nanoTime() - start) / 1e9, steps);
        } finally {
            free.push(model);
        }
    }

    /**
     * The values of {@code a} as floats, copied in bulk from native memory (ND4J's {@code data().asFloat()} copies
     * element by element: seconds for a 40M-parameter model's state).
     */
    static float[] floats(INDArray a) {
        INDArray c = a.dataType() == DataType.FLOAT && a.isView() ? a.dup('c')
                : a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.FLOAT);
        float[] out = new float[Math.toIntExact(c.length())];
        c.data().asNioFloat().get(out);
        return out;
    }

    /** Sets {@code target} to {@code scale * values}, copying in bulk into native memory. */
    static void assign(INDArray target, float[] values, float scale) {
        if (values.length != target.length()) {
            throw new IllegalStateException("state of " + values.length + " values for an array of "
                    + target.length() + "; the workers' model differs from the driver's");
        }
        if (scale != 1f) {
            for (int i = 0; i < values.length; i++) {
                values[i] *= scale;
            }
        }
        INDArray staged = Nd4j.create(DataType.FLOAT, values.length);
        staged.data().asNioFloat().put(values);
        target.assign(staged.reshape(target.shape()).castTo(target.dataType()));
        staged.close();
    }

    /** Forgets the models this JVM loaded for a run (called on the driver when the run ends; local mode). */
    static void forget(String runId) {
        MODELS.remove(runId);
    }

    String runId() {
        return runId;
    }
}
