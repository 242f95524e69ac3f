package io.segnet.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The trainer flags of {@code segnet train}. Jackson writes the flags given (and only those) under the names of
 * {@link io.segnet.train.TrainerConfig}'s settings, the tree laid over the settings file.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
final class TrainerFlags {

    @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training set (default 10).")
    Integer epochs;

    @Option(names = "--iterations", paramLabel = "N", description = "Optimiser steps, instead of --epochs.")
    Integer iterations;

    @JsonProperty("batchSize")
    @Option(names = {"-b", "--batch-size"}, paramLabel = "N", description = "Images per step (default 8).")
    Integer batchSize;

    @JsonProperty("learningRate")
    @Option(names = "--lr", paramLabel = "RATE", description = "Learning rate (default 1e-3).")
    Double lr;

    @JsonProperty("optimizer")
    @Option(names = "--optimizer", paramLabel = "NAME", description = "adam (default) or sgd (Nesterov momentum).")
    String optimizer;

    @JsonProperty("momentum")
    @Option(names = "--momentum", paramLabel = "M", description = "SGD momentum (default 0.9).")
    Double momentum;

    @JsonProperty("weightDecay")
    @Option(names = "--weight-decay", paramLabel = "W", description = "Decoupled weight decay (default 0).")
    Double weightDecay;

    @Option(names = "--schedule", paramLabel = "NAME", description = "Learning-rate schedule: poly (default),"
            + " cosine, step or constant.")
    String schedule;

    @Option(names = "--warmup", paramLabel = "N", description = "Linear warm-up iterations (default 0).")
    Integer warmup;

    @JsonProperty("bestMetric")
    @Option(names = "--best-metric", paramLabel = "NAME", description = "Metric that picks best.zip: meanIoU"
            + " (default), pixelAccuracy, meanDice, ...")
    String bestMetric;

    @JsonProperty("patience")
    @Option(names = "--patience", paramLabel = "N", description = "Stop after N epochs without improvement"
            + " (default 0: never).")
    Integer patience;

    @JsonProperty("seed")
    @Option(names = "--seed", paramLabel = "N", description = "Seed of initialisation, data order and"
            + " augmentation (default 42).")
    Long seed;

    @JsonProperty("workers")
    @Option(names = "--workers", paramLabel = "N", description = "Data-loading threads (default 2).")
    Integer workers;

    @JsonProperty("freezeEncoderEpochs")
    @Option(names = "--freeze-encoder-epochs", paramLabel = "N", description = "Keep the encoder fixed (learning"
            + " rate 0, batch norm on its running statistics) for the first N epochs (default 0).")
    Integer freezeEncoderEpochs;

    @JsonProperty("encoderLrScale")
    @Option(names = "--encoder-lr-scale", paramLabel = "F", description = "Factor on the encoder's learning rate"
            + " once unfrozen (default 1; 0.1 is usual for imported weights).")
    Double encoderLrScale;

    @JsonProperty("progressBar")
    @Option(names = "--progress", negatable = true, description = "Progress bar on a terminal (default on).")
    Boolean progress;

    /** A run's length is epochs or iterations: {@code --epochs N} sets iterations to 0 and the reverse. */
    @JsonProperty("epochs")
    Integer epochsSetting() {
        return epochs != null ? epochs : iterations != null ? Integer.valueOf(0) : null;
    }

    /** See {@link #epochsSetting()}. */
    @JsonProperty("iterations")
    Integer iterationsSetting() {
        return iterations != null ? iterations : epochs != null ? Integer.valueOf(0) : null;
    }

    /** {@code --schedule} and {@code --warmup} as the schedule's {@code type} and {@code warmupIterations}. */
    @JsonProperty("schedule")
    Map<String, Object> scheduleSettings() {
        if (schedule == null && warmup == null) {
            return null;
        }
        Map<String, Object> s = new LinkedHashMap<>();
        if (schedule != null) {
            s.put("type", schedule);
        }
        if (warmup != null) {
            s.put("warmupIterations", warmup);
        }
        return s;
    }
}
