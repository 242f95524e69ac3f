package io.segnet.train;

import io.segnet.train.checkpoint.RunDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CheckpointPolicyTest {

    @TempDir
    Path tmp;

    @Test
    void anImprovingEpochWritesBestThenLast() throws IOException {
        RunDirectory run = RunDirectory.create(tmp.resolve("run"), false);
        assertEquals(List.of(run.best(), run.last()), new CheckpointPolicy(run).afterEpoch(true));
    }

    @Test
    void anyOtherEpochWritesLastOnly() throws IOException {
        RunDirectory run = RunDirectory.create(tmp.resolve("run"), false);
        assertEquals(List.of(run.last()), new CheckpointPolicy(run).afterEpoch(false));
    }

    @Test
    void aStopInsideAnEpochWritesLastOnly() throws IOException {
        RunDirectory run = RunDirectory.create(tmp.resolve("run"), false);
        assertEquals(List.of(run.last()), new CheckpointPolicy(run).afterInterruption());
    }
}
