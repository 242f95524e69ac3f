package io.segnet.cli;

import io.segnet.models.LossConfig;
import io.segnet.models.SegmentationModel;
import io.segnet.models.Upsampling;
import io.segnet.models.encoder.SmallEncoderConfig;
import io.segnet.models.unet.UNetConfig;
import io.segnet.train.checkpoint.Checkpoint;
import io.segnet.train.checkpoint.TrainerState;
import io.segnet.train.log.MetricsLog;
import io.segnet.train.log.StepRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fault injection (issue 13): {@code segnet train} runs in separate JVMs on a tiny model and tiny data (3 epochs of
 * 12 iterations) and is killed at several moments, with SIGTERM (what Ctrl-C does: shutdown hooks run) and SIGKILL,
 * including in the middle of a checkpoint save ({@link Checkpoint#PAUSE_PROPERTY} makes the save wait, with its
 * temporary file complete, before the rename). After every kill the newest checkpoint loads; every run and resume
 * leaves no temporary file; an interrupted run always prints the exact resume command; and the run, resumed after
 * each kill until it finishes, ends with the weights, optimiser state, best checkpoint and metrics log
 * (line for line, without {@link MetricsLog#WALL_CLOCK_FIELDS}) of an uninterrupted run.
 */
class TrainFaultInjectionTest {

    private static final int PER_EPOCH = 12;
    private static final long TIMEOUT_SECONDS = 120;

    @TempDir
    static Path dir;

    private static Path config;
    private static Path model;

    @BeforeAll
    static void tinyRun() throws IOException {
        CliTest.Run r = CliTest.run("generate-m2nist", "--output", dir.resolve("m2").toString(), "--train", "48",
                "--validation", "8", "--seed", "5");
        assertEquals(0, r.code(), r.err());
        model = dir.resolve("tiny.json");
        Files.writeString(model, new UNetConfig(1, 11, 64, 84, new SmallEncoderConfig(4, 2, true),
                Upsampling.TRANSPOSED, true, List.of(), LossConfig.crossEntropy()).toJson());
        Path m2 = dir.resolve("m2");
        config = dir.resolve("run.yaml");
        Files.writeString(config, CliTest.folderData(m2) + """
                  flip: true
                trainer:
                  epochs: 3
                  batchSize: 4
                  learningRate: 0.01
                  logEvery: 5
                  progressBar: false
                  seed: 11
                """);
    }

    /** A {@code segnet train} JVM whose standard output and error go to files next to the run folder. */
    private record Child(Process process, Path out, Path err) {

        static Child start(Path run, String name, Long pauseMillis, String... args) throws IOException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx1g");
            if (pauseMillis != null) {
                command.add("-D" + Checkpoint.PAUSE_PROPERTY + "=" + pauseMillis);
            }
            command.add("-cp");
            command.add(classPath());
            command.add(SegnetCli.class.getName());
            command.add("train");
            command.addAll(List.of(args));
            command.addAll(List.of("--output", run.toString(), "--no-progress"));
            Path out = run.resolveSibling(run.getFileName() + "-" + name + ".out");
            Path err = run.resolveSibling(run.getFileName() + "-" + name + ".err");
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            return new Child(p, out, err);
        }

        String stdout() throws IOException {
            return Files.readString(out, StandardCharsets.UTF_8);
        }

        String stderr() throws IOException {
            return Files.readString(err, StandardCharsets.UTF_8);
        }

        /** Waits for the process to end; returns its exit code. */
        int await() throws IOException, InterruptedException {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                fail("segnet train did not end within " + TIMEOUT_SECONDS + " s\n" + stdout() + stderr());
            }
            return process.exitValue();
        }

        /** Waits until {@code condition} holds while the process runs; fails if it ends first. */
        void waitUntil(BooleanSupplier condition, String what) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (!condition.getAsBoolean()) {
                if (!process.isAlive()) {
                    fail("segnet train ended before " + what + "\n" + stdout() + stderr());
                }
                if (System.nanoTime() > deadline) {
                    process.destroyForcibly().waitFor();
                    fail("no " + what + " within " + TIMEOUT_SECONDS + " s\n" + stdout() + stderr());
                }
                Thread.sleep(5);
            }
        }

        /** SIGTERM (shutdown hooks run, as on Ctrl-C) and wait; returns the exit code. */
        int terminate() throws IOException, InterruptedException {
            process.destroy();
            return await();
        }

        /** SIGKILL and wait. */
        void kill() throws InterruptedException {
            process.destroyForcibly().waitFor();
        }
    }

    /** The test class path (surefire's, not its booter jar's), for the child JVMs. */
    private static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    /** The iteration of the latest step record in the run's metrics log (0 before any); never throws. */
    private static long loggedIteration(Path run) {
        try {
            List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
            long last = 0;
            for (String line : lines) {
                int i = line.indexOf("\"iteration\":");
                if (line.contains("\"type\":\"step\"") && i >= 0 && line.endsWith("}")) {
                    String rest = line.substring(i + 12);
                    last = Math.max(last, Long.parseLong(rest.substring(0, rest.indexOf(',')).strip()));
                }
            }
            return last;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static boolean says(Child c, String text) {
        try {
            return c.stderr().contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    /** Temporary files (hidden or *.tmp) in the run folder. */
    private static List<String> temporaries(Path run) throws IOException {
        try (Stream<Path> s = Files.list(run)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".") || n.endsWith(".tmp"))
                    .sorted().toList();
        }
    }

    /** Loads the run's last.zip (it must load) and returns its trainer state. */
    private static TrainerState newest(Path run) throws IOException {
        Checkpoint.Contents c = Checkpoint.load(run.resolve("last.zip"));
        TrainerState state = c.metadata().orElseThrow().state();
        assertEquals(state.iteration(), c.model().graph().getIterationCount(), "the checkpoint is consistent");
        return state;
    }

    private static void assertResumeHint(Child c, Path run) throws IOException {
        String out = c.stdout();
        assertTrue(out.contains("continue with: segnet train --resume --output " + run), out + c.stderr());
        assertFalse(c.stderr().contains("error"), c.stderr());
        assertFalse((out + c.stderr()).contains("was not updated"), "the curve is drawn while stopping: " + out);
    }

    @Test
    void killedAtManyMomentsTheRunResumesToTheUninterruptedResult() throws Exception {
        Path straight = dir.resolve("straight");
        Child reference = Child.start(straight, "run", null, "--config", config.toString(), "--model-config",
                model.toString());
        Path run = dir.resolve("killed");

        // 1. SIGTERM inside the first epoch, before any checkpoint: the run saves where it stands and says how to go on.
        Child c = Child.start(run, "1", null, "--config", config.toString(), "--model-config", model.toString());
        c.waitUntil(() -> loggedIteration(run) >= 5, "step record of iteration 5");
        c.terminate();
        assertResumeHint(c, run);
        TrainerState s = newest(run);
        assertTrue(s.iteration() >= 5 && s.iteration() < PER_EPOCH && s.batchInEpoch() == s.iteration(),
                "saved inside epoch 1: " + s);
        assertEquals(List.of(), temporaries(run));

        // 2. SIGKILL in the middle of the end-of-epoch save (temporary file complete, not yet renamed).
        c = Child.start(run, "2", 60_000L, "--resume");
        Child paused = c;
        c.waitUntil(() -> says(paused, Checkpoint.PAUSE_LINE), "paused save");
        c.kill();
        assertEquals(s, newest(run), "the previous checkpoint is the one that loads");
        assertFalse(temporaries(run).isEmpty(), "the kill hit the save: its temporary file is there");

        // 3. SIGTERM in the middle of the next end-of-epoch save: the save completes, the run stops after it.
        c = Child.start(run, "3", 1500L, "--resume");
        Child paused3 = c;
        c.waitUntil(() -> says(paused3, Checkpoint.PAUSE_LINE), "paused save");
        c.terminate();
        assertResumeHint(c, run);
        s = newest(run);
        assertEquals(PER_EPOCH, s.iteration(), "the save under way completed: " + s);
        assertEquals(1, s.epoch());
        assertEquals(List.of(), temporaries(run), "the resume removed the killed save's temporary file");

        // 4. and 5. SIGKILL inside epochs 2 and 3 (step records every 5 iterations: at 15 and 25), each time with
        // step records logged after the latest checkpoint (at the end of epochs 1 and 2).
        for (int target : new int[]{15, 25}) {
            c = Child.start(run, "at" + target, null, "--resume");
            c.waitUntil(() -> loggedIteration(run) >= target, "step record of iteration " + target);
            c.kill();
            assertEquals(target / PER_EPOCH * PER_EPOCH, newest(run).iteration(), "the latest epoch's checkpoint");
            assertTrue(loggedIteration(run) >= target, "the log ran ahead of the checkpoint");
            assertEquals(List.of(), temporaries(run));
        }

        // 6. The last resume runs to the end.
        c = Child.start(run, "end", null, "--resume");
        assertEquals(0, c.await(), c.stdout() + c.stderr());
        assertTrue(c.stdout().contains("finished after 3 epochs (36 iterations)"), c.stdout());
        assertEquals(List.of(), temporaries(run));
        assertEquals(0, reference.await(), reference.stdout() + reference.stderr());

        for (String zip : List.of("last.zip", "best.zip")) {
            SegmentationModel expected = SegmentationModel.load(straight.resolve(zip));
            SegmentationModel actual = SegmentationModel.load(run.resolve(zip));
            assertArrayEquals(expected.graph().params().dup().data().asFloat(),
                    actual.graph().params().dup().data().asFloat(), zip);
            assertArrayEquals(expected.graph().getUpdater().getStateViewArray().dup().data().asFloat(),
                    actual.graph().getUpdater().getStateViewArray().dup().data().asFloat(), zip);
        }
        List<String> log = MetricsLog.withoutWallClock(straight.resolve("metrics.jsonl"));
        assertEquals(36 / 5 + 3, log.size(), "7 step and 3 epoch records");
        assertEquals(log, MetricsLog.withoutWallClock(run.resolve("metrics.jsonl")));
        assertTrue(Files.size(run.resolve("curve.png")) > 0);
        assertTrue(MetricsLog.read(run.resolve("metrics.jsonl")).stream().anyMatch(r -> r instanceof StepRecord));
    }
}
