package io.segnet.train;

import io.segnet.train.checkpoint.RunDirectory;

import java.nio.file.Path;
import java.util.List;

/**
 * Which checkpoints the trainer writes, in order: after every epoch {@code best.zip} if the epoch improved on the best
 * score, then {@code last.zip}; when stopped inside an epoch, {@code last.zip} only.
 *
 * @param run the run folder
 */
record CheckpointPolicy(RunDirectory run) {

    /** The checkpoints to write at the end of an epoch. */
    List<Path> afterEpoch(boolean improved) {
        return improved ? List.of(run.best(), run.last()) : List.of(run.last());
    }

    /** The checkpoints to write when a stop request ends an epoch early. */
    List<Path> afterInterruption() {
        return List.of(run.last());
    }
}
