package io.segnet.train.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunDirectoryTest {

    @TempDir
    Path tmp;

    @Test
    void newRunsNeedAnEmptyFolder() throws IOException {
        Path dir = tmp.resolve("runs/a");
        RunDirectory run = RunDirectory.create(dir, false);
        assertTrue(Files.isDirectory(dir));
        assertEquals(dir.resolve("last.zip"), run.last());
        Files.writeString(run.metrics(), "{}\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunDirectory.create(dir, false));
        assertTrue(e.getMessage().contains("not empty (metrics.jsonl)") && e.getMessage().contains("--resume")
                && e.getMessage().contains("--overwrite"), e.getMessage());
    }

    @Test
    void overwriteClearsOnlyWhatSegnetWrote() throws IOException {
        Path dir = tmp.resolve("b");
        RunDirectory run = RunDirectory.create(dir, false, Set.of("predictions"));
        Files.writeString(run.last(), "x");
        Files.createDirectories(run.resolve("predictions/sub"));
        Files.writeString(run.resolve("predictions/sub/1.png"), "x");
        RunDirectory.create(dir, true, Set.of("predictions"));
        assertFalse(Files.exists(run.last()));
        assertFalse(Files.exists(run.resolve("predictions")));

        Files.writeString(run.last(), "x");
        Files.writeString(dir.resolve("thesis.docx"), "mine");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunDirectory.create(dir, true));
        assertTrue(e.getMessage().contains("thesis.docx"), e.getMessage());
        assertTrue(Files.exists(run.last()) && Files.exists(dir.resolve("thesis.docx")), "nothing was deleted");
    }

    @Test
    void resumingNeedsALastCheckpointAndAFileIsNoFolder() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("c"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunDirectory.resume(dir));
        assertTrue(e.getMessage().contains("last.zip does not exist"), e.getMessage());
        Files.writeString(dir.resolve("last.zip"), "x");
        Files.writeString(dir.resolve(".last.zip.abc.tmp"), "partial");
        RunDirectory.resume(dir);
        assertFalse(Files.exists(dir.resolve(".last.zip.abc.tmp")), "left-over temporary files are removed");
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertThrows(IllegalArgumentException.class, () -> RunDirectory.create(file, false));
    }

    @Test
    void aRefusedResumeStillRemovesAnInterruptedSavesTemporaryFile() throws IOException {
        // A run killed during its first save has no last.zip, only the save's temporary file.
        Path dir = Files.createDirectories(tmp.resolve("killed"));
        Path partial = Files.writeString(dir.resolve(".last.zip.k3x9.tmp"), "partial checkpoint");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunDirectory.resume(dir));
        assertTrue(e.getMessage().contains("last.zip does not exist"), e.getMessage());
        assertFalse(Files.exists(partial), "the temporary file of the interrupted save is gone");
    }
}
