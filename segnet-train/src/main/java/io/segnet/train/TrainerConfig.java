package io.segnet.train;

import io.segnet.train.schedule.EncoderRate;
import io.segnet.train.schedule.ScheduleConfig;
import org.nd4j.linalg.learning.config.IUpdater;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How a {@link Trainer} trains: run length, batches, optimiser, learning-rate schedule, regularisation, loss weights,
 * checkpoint selection and early stopping, seed. Immutable, validated on construction (messages say what to
 * change), read from and written to YAML or JSON by {@link ConfigFiles}, where missing fields take the defaults
 * of {@link #defaults()}.
 *
 * <p>The run length is given either in {@code epochs} (passes over the training set) or in {@code iterations}
 * (optimiser steps); exactly one of the two is positive. Validation runs after every epoch, and after the last
 * iteration when a run counted in iterations ends inside an epoch.
 *
 * @param epochs              passes over the training set, or 0 when {@code iterations} is set (default 10)
 * @param iterations          optimiser steps, or 0 when {@code epochs} is set (default 0)
 * @param batchSize           training images per step, {@code >= 1} (default 8); the last partial batch of an epoch
 *                            is dropped when the training set holds at least one full batch
 * @param validationBatchSize images per validation batch, or 0 for {@code batchSize} (default 0)
 * @param optimizer           {@code adam} or {@code sgd} (Nesterov momentum) (default adam)
 * @param learningRate        base (peak) learning rate, {@code > 0} (default 1e-3)
 * @param momentum            momentum of {@code sgd}, in [0, 1) (default 0.9)
 * @param weightDecay         decoupled weight decay of convolution weights, {@code >= 0} (default 0)
 * @param schedule            the learning-rate schedule (default poly, power 0.9)
 * @param outputWeights       loss weight by graph output name, overriding the model's own (PSPNet's auxiliary
 *                            head, UNet++'s deep-supervision heads); empty to keep the model's (default)
 * @param bestMetric          validation score that selects {@code best.zip} and drives early stopping (default
 *                            meanIoU)
 * @param patience            epochs without an improvement of more than {@code minDelta} after which training
 *                            stops early; 0 never stops early (default 0)
 * @param minDelta            smallest increase of {@code bestMetric} that counts as an improvement, {@code >= 0}
 *                            (default 0)
 * @param seed                seed of weight initialisation, data order and augmentation (default 42)
 * @param workers             data-loading threads, {@code >= 1} (default 2)
 * @param logEvery            iterations between step records of the metrics log, {@code >= 1} (default 10)
 * @param progressBar         whether to draw a progress bar on an interactive terminal (default true)
 * @param freezeEncoderEpochs epochs at the start of the run during which the encoder (every layer under the
 *                            {@code encoder} scope) is frozen: learning rate 0 and batch norm on its running
 *                            statistics, so none of its parameters or statistics change; {@code >= 0}, at most
 *                            {@code epochs} (default 0)
 * @param encoderLrScale      factor on the encoder's learning rate after it is unfrozen (the decoder and head keep
 *                            {@code learningRate}), {@code > 0} (default 1; 0.1 is usual when fine-tuning an
 *                            imported encoder)
 */
public record TrainerConfig(int epochs, int iterations, int batchSize, int validationBatchSize,
                            OptimizerType optimizer, double learningRate, double momentum, double weightDecay,
                            ScheduleConfig schedule, Map<String, Double> outputWeights, Metric bestMetric,
                            int patience, double minDelta, long seed, int workers, int logEvery, boolean progressBar,
                            int freezeEncoderEpochs, double encoderLrScale) {

    /** Checks every field. */
    public TrainerConfig {
        if (epochs < 0 || iterations < 0 || (epochs > 0) == (iterations > 0)) {
            throw new IllegalArgumentException("give the run length either in epochs or in iterations: epochs is "
                    + epochs + " and iterations is " + iterations + "; set exactly one of them to a positive value");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize is " + batchSize + "; use at least 1 (8 is usual on a CPU)");
        }
        if (validationBatchSize < 0) {
            throw new IllegalArgumentException("validationBatchSize is " + validationBatchSize
                    + "; use 0 (same as batchSize) or a positive size");
        }
        Objects.requireNonNull(optimizer, "optimizer (adam or sgd)");
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate is " + learningRate
                    + "; use a positive value, e.g. 1e-3 for adam or 0.01 for sgd");
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum is " + momentum + "; use a value in [0, 1), e.g. 0.9");
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay is " + weightDecay + "; use 0 (none) or a small positive"
                    + " value such as 1e-4");
        }
        Objects.requireNonNull(schedule, "schedule (e.g. {type: poly})");
        if (schedule.minLearningRate() > learningRate) {
            throw new IllegalArgumentException("schedule.minLearningRate " + schedule.minLearningRate()
                    + " is above learningRate " + learningRate + "; the schedule decays from learningRate to it");
        }
        outputWeights = outputWeights == null ? Map.of() : java.util.Collections.unmodifiableMap(
                new TreeMap<>(outputWeights));
        for (Map.Entry<String, Double> e : outputWeights.entrySet()) {
            Double w = e.getValue();
            if (w == null || !(w > 0) || w.isInfinite()) {
                throw new IllegalArgumentException("outputWeights['" + e.getKey() + "'] is " + w
                        + "; a loss weight must be positive and finite (e.g. 0.4 for an auxiliary head)");
            }
        }
        Objects.requireNonNull(bestMetric, "bestMetric (e.g. meanIoU)");
        if (patience < 0) {
            throw new IllegalArgumentException("patience is " + patience + "; use 0 (no early stopping) or a number"
                    + " of epochs");
        }
        if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
            throw new IllegalArgumentException("minDelta is " + minDelta + "; use 0 or a small positive score, e.g."
                    + " 0.001");
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers is " + workers + "; use at least 1 data-loading thread");
        }
        if (logEvery < 1) {
            throw new IllegalArgumentException("logEvery is " + logEvery + "; log at least every iteration (1)");
        }
        if (freezeEncoderEpochs < 0 || epochs > 0 && freezeEncoderEpochs > epochs) {
            throw new IllegalArgumentException("freezeEncoderEpochs is " + freezeEncoderEpochs + "; use 0 (never"
                    + " frozen) up to the run's epochs (" + epochs + ")");
        }
        if (!(encoderLrScale > 0) || Double.isInfinite(encoderLrScale)) {
            throw new IllegalArgumentException("encoderLrScale is " + encoderLrScale + "; use a positive factor, e.g."
                    + " 0.1 (1: the encoder learns as fast as the decoder); to keep the encoder fixed use"
                    + " freezeEncoderEpochs");
        }
    }

    /** The defaults: 10 epochs of batch 8, Adam 1e-3 with poly decay, best by mean IoU, seed 42. */
    public static TrainerConfig defaults() {
        return new TrainerConfig(10, 0, 8, 0, OptimizerType.ADAM, 1e-3, 0.9, 0, ScheduleConfig.poly(), Map.of(),
                Metric.MEAN_IOU, 0, 0, 42, 2, 10, true, 0, 1);
    }

    /** This config running {@code n} epochs. */
    public TrainerConfig withEpochs(int n) {
        return new TrainerConfig(n, 0, batchSize, validationBatchSize, optimizer, learningRate, momentum,
                weightDecay, schedule, outputWeights, bestMetric, patience, minDelta, seed, workers, logEvery,
                progressBar, freezeEncoderEpochs,
                encoderLrScale);
    }

    /** This config running {@code n} optimiser iterations. */
    public TrainerConfig withIterations(int n) {
        return new TrainerConfig(0, n, batchSize, validationBatchSize, optimizer, learningRate, momentum,
                weightDecay, schedule, outputWeights, bestMetric, patience, minDelta, seed, workers, logEvery,
                progressBar, freezeEncoderEpochs,
                encoderLrScale);
    }

    /** This config with another batch size. */
    public TrainerConfig withBatchSize(int n) {
        return new TrainerConfig(epochs, iterations, n, validationBatchSize, optimizer, learningRate, momentum,
                weightDecay, schedule, outputWeights, bestMetric, patience, minDelta, seed, workers, logEvery,
                progressBar, freezeEncoderEpochs,
                encoderLrScale);
    }

    /** This config with another optimiser and learning rate. */
    public TrainerConfig withOptimizer(OptimizerType type, double rate) {
        return new TrainerConfig(epochs, iterations, batchSize, validationBatchSize, type, rate, momentum,
                weightDecay, schedule, outputWeights, bestMetric, patience, minDelta, seed, workers, logEvery,
                progressBar, freezeEncoderEpochs,
                encoderLrScale);
    }

    /** This config with another schedule. */
    public TrainerConfig withSchedule(ScheduleConfig value) {
        return new TrainerConfig(epochs, iterations, batchSize, validationBatchSize, optimizer, learningRate,
                momentum, weightDecay, value, outputWeights, bestMetric, patience, minDelta, seed, workers, logEvery,
                progressBar, freezeEncoderEpochs,
                encoderLrScale);
    }

    /** This config with weight decay {@code value}. */
    public TrainerConfig withWeightDecay(double value) {
        return new TrainerConfig(epochs, iterations, batchSize, validationBatchSize, optimizer, learningRate,
                momentum, value, schedule, outputWeights, bestMetric, patience, minDelta, seed, workers, logEvery,
                progressBar, freezeEncoderEpochs,
                encoderLrScale);
    }

    /** This config with early stopping after {@code epochs} epochs without an improvement above {@code delta}. */
    public TrainerConfig withEarlyStopping(Metric metric, int epochsPatience, double delta) {
        return new TrainerConfig(epochs, iterations, batchSize, validationBatchSize, optimizer, learningRate,
                momentum, weightDecay, schedule, outputWeights, metric, epochsPatience, delta, seed, workers,
                logEvery, progressBar, freezeEncoderEpochs,
                encoderLrScale);
    }

    /** This config with another seed. */
    public TrainerConfig withSeed(long value) {
        return new TrainerConfig(epochs, iterations, batchSize, validationBatchSize, optimizer, learningRate,
                momentum, weightDecay, schedule, outputWeights, bestMetric, patience, minDelta, value, workers,
                logEvery, progressBar, freezeEncoderEpochs,
                encoderLrScale);
    }

    /** This config with other output loss weights. */
    public TrainerConfig withOutputWeights(Map<String, Double> weights) {
        return new TrainerConfig(epochs, iterations, batchSize, validationBatchSize, optimizer, learningRate,
                momentum, weightDecay, schedule, weights, bestMetric, patience, minDelta, seed, workers, logEvery,
                progressBar, freezeEncoderEpochs,
                encoderLrScale);
    }

    /** This config with the progress bar on or off and step records every {@code every} iterations. */
    public TrainerConfig withReporting(boolean bar, int every) {
        return new TrainerConfig(epochs, iterations, batchSize, validationBatchSize, optimizer, learningRate,
                momentum, weightDecay, schedule, outputWeights, bestMetric, patience, minDelta, seed, workers, every,
                bar, freezeEncoderEpochs,
                encoderLrScale);
    }

    /** This config with {@code n} data-loading threads. */
    public TrainerConfig withWorkers(int n) {
        return new TrainerConfig(epochs, iterations, batchSize, validationBatchSize, optimizer, learningRate,
                momentum, weightDecay, schedule, outputWeights, bestMetric, patience, minDelta, seed, n, logEvery,
                progressBar, freezeEncoderEpochs,
                encoderLrScale);
    }

    /**
     * This config freezing the encoder for the first {@code epochs} epochs and scaling its learning rate by
     * {@code lrScale} afterwards.
     */
    public TrainerConfig withEncoderTraining(int epochs, double lrScale) {
        return new TrainerConfig(this.epochs, iterations, batchSize, validationBatchSize, optimizer, learningRate,
                momentum, weightDecay, schedule, outputWeights, bestMetric, patience, minDelta, seed, workers,
                logEvery, progressBar, epochs, lrScale);
    }

    /** Whether the encoder trains differently from the rest ({@code freezeEncoderEpochs > 0} or a scale other than 1). */
    public boolean tunesEncoder() {
        return freezeEncoderEpochs > 0 || encoderLrScale != 1;
    }

    /** The validation batch size in effect. */
    public int effectiveValidationBatchSize() {
        return validationBatchSize > 0 ? validationBatchSize : batchSize;
    }

    /**
     * The run's length in iterations, given the batches of one epoch.
     *
     * @throws IllegalArgumentException if the run would exceed {@code Integer.MAX_VALUE} iterations
     */
    public int totalIterations(int batchesPerEpoch) {
        long total = epochs > 0 ? (long) epochs * batchesPerEpoch : iterations;
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(epochs + " epochs of " + batchesPerEpoch + " batches exceed "
                    + Integer.MAX_VALUE + " iterations; train fewer epochs");
        }
        return (int) total;
    }

    /** The DL4J updater of a run of {@code totalIterations}: the optimiser with its learning-rate schedule. */
    public IUpdater updater(int totalIterations) {
        return optimizer.updater(schedule.build(learningRate, totalIterations), momentum);
    }

    /**
     * The DL4J updater of the encoder's layers: {@link #updater}'s schedule, 0 for the first
     * {@code freezeEncoderEpochs} epochs, then scaled by {@code encoderLrScale} ({@link EncoderRate}).
     */
    public IUpdater encoderUpdater(int totalIterations) {
        return optimizer.updater(new EncoderRate(schedule.build(learningRate, totalIterations), freezeEncoderEpochs,
                encoderLrScale), momentum);
    }
}
