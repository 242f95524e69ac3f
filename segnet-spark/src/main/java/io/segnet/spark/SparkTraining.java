package io.segnet.spark;

import io.segnet.models.ModelConfig;
import io.segnet.train.Trainer;
import io.segnet.train.TrainerConfig;
import io.segnet.train.TrainingResult;
import io.segnet.train.checkpoint.Checkpoint;
import io.segnet.train.checkpoint.RunDirectory;
import io.segnet.train.log.ProgressReporter;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * Data-parallel training on Spark. The driver runs segnet's {@link Trainer}: epochs, the learning-rate schedule,
 * validation, {@code best.zip}/{@code last.zip} (atomic), {@code metrics.jsonl}, the curve, the report and resuming
 * are the single-machine trainer's; only the optimiser steps run on the executors ({@link SparkStepExecutor}: each
 * round, {@code workers} tasks fit {@code averageEvery} batches each from the driver's parameters, and the driver
 * takes the mean of their parameters and optimiser state).
 *
 * <p>What is equivalent to what:
 * <ul>
 *   <li>One worker: the single-machine run with the same {@link TrainerConfig}, step for step (same batches and
 *   augmentations in the same order, same iteration counts); bitwise equal for models without dropout, or with
 *   {@code averageEvery} at least the batches per epoch.</li>
 *   <li>N workers, {@code averageEvery = 1}, plain SGD (with or without momentum, as the optimiser state is averaged
 *   too): one step on batch size {@code N x batchSize} at the same learning rate, i.e. the mean gradient of N
 *   batches; the learning-rate schedule still counts batches, so an epoch has N times fewer averaged steps.
 *   With Adam the average of N Adam steps is close to, not equal to, one Adam step on the mean gradient.</li>
 *   <li>N workers, {@code averageEvery = k > 1}: local SGD (parameter averaging every k steps): k times less
 *   communication, and a result that drifts further from large-batch training as k grows.</li>
 *   <li>Batch-norm running statistics are averaged with the parameters; the batch statistics of a step are those of
 *   each worker's own batch (as with N independent GPUs without synchronised batch norm).</li>
 * </ul>
 *
 * <p>Fault tolerance: a task holds no state between rounds, so Spark's own task retries (for example after a lost
 * executor) recompute the same block from the same broadcast state; if the driver stops, {@link #resume} continues
 * from {@code last.zip} as the single-machine trainer does.
 *
 * <pre>{@code
 * SparkTraining t = SparkTraining.on(sc, trainerConfig, data, new SparkTraining.Distribution(4, 1));
 * SparkTraining.Result r = t.train(modelConfig, RunDirectory.create(Path.of("runs/a"), false));
 * }</pre>
 */
public final class SparkTraining {

    private final JavaSparkContext sc;
    private final TrainerConfig config;
    private final SparkTrainingData data;
    private final Distribution distribution;
    private final Trainer trainer;

    private SparkTraining(JavaSparkContext sc, TrainerConfig config, SparkTrainingData data,
                          Distribution distribution) {
        this.sc = Objects.requireNonNull(sc, "sc");
        this.config = Objects.requireNonNull(config, "config");
        this.data = Objects.requireNonNull(data, "data");
        this.distribution = Objects.requireNonNull(distribution, "distribution");
        if (config.freezeEncoderEpochs() > 0) {
            throw new IllegalArgumentException("freezing the encoder (freezeEncoderEpochs "
                    + config.freezeEncoderEpochs() + ") is not supported in distributed training yet; train with"
                    + " freezeEncoderEpochs 0 (YAML trainer.freezeEncoderEpochs: 0)");
        }
        this.trainer = new Trainer(config).progress(ProgressReporter.silent()).stopOnShutdown(false);
    }

    /** Distributed training on {@code sc} with these settings. */
    public static SparkTraining on(JavaSparkContext sc, TrainerConfig config, SparkTrainingData data,
                                   Distribution distribution) {
        return new SparkTraining(sc, config, data, distribution);
    }

    /**
     * The driver's trainer, to add callbacks, set a progress reporter or request a stop; its step executor is set by
     * {@link #train} and {@link #resume}.
     */
    public Trainer trainer() {
        return trainer;
    }

    /**
     * How the steps are distributed.
     *
     * @param workers      data-parallel replicas: Spark tasks per round, at most the executors' task slots
     * @param averageEvery optimiser steps each worker makes between two averages
     */
    public record Distribution(int workers, int averageEvery) {
        /** Checks the counts. */
        public Distribution {
            if (workers < 1) {
                throw new IllegalArgumentException("workers is " + workers + "; use at least 1");
            }
            if (averageEvery < 1) {
                throw new IllegalArgumentException("averageEvery is " + averageEvery + "; use at least 1 step");
            }
        }
    }

    /**
     * What a distributed run did.
     *
     * @param result the trainer's result (model, stop reason, best score, ...)
     * @param rounds every round's timing
     */
    public record Result(TrainingResult result, List<SparkStepExecutor.RoundTiming> rounds) {
    }

    /** Trains a new model of {@code model} into {@code run}. */
    public Result train(ModelConfig model, RunDirectory run) throws IOException {
        Objects.requireNonNull(model, "model");
        SparkStepExecutor steps = executor();
        try {
            TrainingResult r = trainer.train(model, data.toTrainingData(sc.hadoopConfiguration(),
                    model.inputSizeRule().multiple()), run);
            return new Result(r, steps.timings());
        } finally {
            release(steps);
        }
    }

    /** Continues the run in {@code run} from its {@code last.zip} (after the driver stopped). */
    public Result resume(RunDirectory run) throws IOException {
        SparkStepExecutor steps = executor();
        try {
            ModelConfig model = Checkpoint.load(run.last()).model().config();
            TrainingResult r = trainer.resume(data.toTrainingData(sc.hadoopConfiguration(),
                    model.inputSizeRule().multiple()), run);
            return new Result(r, steps.timings());
        } finally {
            release(steps);
        }
    }

    private SparkStepExecutor executor() {
        SparkStepExecutor steps = new SparkStepExecutor(sc, data, config, distribution.workers(),
                distribution.averageEvery());
        trainer.stepExecutor(steps);
        return steps;
    }

    private void release(SparkStepExecutor steps) {
        steps.close();
        SparkStepExecutor.forget(steps.runId());
        trainer.stepExecutor(io.segnet.train.StepExecutor.local());
    }
}
