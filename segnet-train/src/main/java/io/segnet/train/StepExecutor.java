package io.segnet.train;

import io.segnet.data.batch.SegmentationBatchIterator;
import io.segnet.models.SegmentationModel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.List;

/**
 * Runs a {@link Trainer}'s optimiser steps. The trainer keeps everything else (epochs, validation, checkpoints, the
 * metrics log, resuming); an executor fits batches. {@link #local()} fits each batch on this machine, one optimiser
 * step per batch; segnet-spark's executor fits a round of batches on several workers and averages their parameters.
 *
 * <p>Batch {@code b} of epoch {@code e} is the same set of samples with the same augmentation wherever it is built
 * ({@link SegmentationBatchIterator#batch}), so executors agree on what the data of a step is.
 */
public interface StepExecutor {

    /**
     * One fitted batch.
     *
     * @param images images in the batch
     * @param loss   the training loss of the step that fitted it
     */
    record Step(int images, double loss) implements java.io.Serializable {
    }

    /**
     * What a call may fit: batches {@code [firstBatch, firstBatch + count)} of epoch {@code epoch}, the model's
     * optimiser having made {@code iteration} steps before.
     *
     * @param model      the model; its parameters and optimiser state are updated in place
     * @param epoch      the epoch, from 0
     * @param firstBatch the epoch's first batch to fit, from 0
     * @param count      how many batches, at most {@link #batchesPerCall()}
     * @param iteration  iterations (batches) completed in the run before {@code firstBatch}
     * @param batches    this machine's batch iterator, positioned at {@code firstBatch} of {@code epoch}; an executor
     *                   that reads its data elsewhere leaves it alone
     */
    record Round(SegmentationModel model, int epoch, int firstBatch, int count, int iteration,
                 SegmentationBatchIterator batches) {
    }

    /** Batches per call. */
    int batchesPerCall();

    /** Whether the executor takes its batches from the trainer's iterator (then skipped batches are read there). */
    default boolean readsLocalBatches() {
        return true;
    }

    /** Fits the round's batches; returns one {@link Step} per batch, in batch order. */
    List<Step> fit(Round round);

    /** One optimiser step of {@code model} on {@code batch}; frees the batch's arrays. */
    static Step fit(SegmentationModel model, DataSet batch) {
        INDArray x = batch.getFeatures();
        INDArray y = batch.getLabels();
        int images = (int) x.size(0);
        double loss = model.fit(x, y);
        x.close();
        y.close();
        return new Step(images, loss);
    }

    /** One optimiser step per batch, on this machine. */
    static StepExecutor local() {
        return new StepExecutor() {
            @Override
            public int batchesPerCall() {
                return 1;
            }

            @Override
            public List<Step> fit(Round round) {
                return List.of(StepExecutor.fit(round.model(), round.batches().next()));
            }
        };
    }
}
