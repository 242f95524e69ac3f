package io.segnet.train;

import io.segnet.train.checkpoint.RunDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shutdown hook's work (Ctrl-C, SIGTERM) when the run is slow to return. */
class ShutdownTest {

    @TempDir
    Path dir;

    /**
     * A run that does not return in time: the hook waits for the save under way (the write lock), keeps any other
     * save from starting and prints the resume command.
     */
    @Test
    void pastTheWaitASaveUnderWayCompletesAndTheResumeCommandIsPrinted() throws Exception {
        RunDirectory run = RunDirectory.create(dir.resolve("run"), false);
        Trainer trainer = new Trainer(TinyRun.config(1)).resumeCommand("segnet train --resume --output " + run);
        CountDownLatch saving = new CountDownLatch(1);
        long[] savedAt = new long[1];
        Thread save = new Thread(() -> {
            trainer.writeLock().lock();
            try {
                saving.countDown();
                Thread.sleep(400);
                savedAt[0] = System.nanoTime();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                trainer.writeLock().unlock();
            }
        });
        save.start();
        saving.await();
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        Thread hook = new Thread(() -> trainer.stopAndWait(new CountDownLatch(1), Duration.ofMillis(50),
                save, run, new PrintStream(text, true, StandardCharsets.UTF_8)));
        hook.start();
        hook.join(10_000);
        long printedAt = System.nanoTime();
        assertFalse(hook.isAlive());
        assertTrue(trainer.stopRequested());
        assertTrue(savedAt[0] > 0 && savedAt[0] <= printedAt, "the save under way completed first");
        assertTrue(trainer.writeLock().isLocked() && !trainer.writeLock().isHeldByCurrentThread(),
                "no other save can start");
        String printed = text.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains(run.last() + " holds the latest save. continue with: segnet train --resume"
                + " --output " + run), printed);
    }

    @Test
    void aRunThatReturnsInTimeIsLeftToPrintItsOwnSummary() throws IOException, InterruptedException {
        RunDirectory run = RunDirectory.create(dir.resolve("quick"), false);
        Trainer trainer = new Trainer(TinyRun.config(1));
        CountDownLatch done = new CountDownLatch(1);
        done.countDown();
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        Thread finished = new Thread(() -> { });
        finished.start();
        finished.join();
        trainer.stopAndWait(done, Duration.ofSeconds(5), finished, run, new PrintStream(text, true,
                StandardCharsets.UTF_8));
        assertEquals("", text.toString(StandardCharsets.UTF_8));
        assertFalse(trainer.writeLock().isLocked());
    }
}
