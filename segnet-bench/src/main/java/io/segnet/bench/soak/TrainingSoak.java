package io.segnet.bench.soak;

import io.segnet.core.runtime.NativeHeap;
import io.segnet.data.dataset.InMemorySource;
import io.segnet.data.dataset.Split;
import io.segnet.data.m2nist.M2nistGenerator;
import io.segnet.data.m2nist.M2nistQuickstartData;
import io.segnet.data.transform.PadToMultiple;
import io.segnet.inference.Preprocessing;
import io.segnet.metrics.MetricReport;
import io.segnet.models.SegmentationModels;
import io.segnet.train.OptimizerType;
import io.segnet.train.Trainer;
import io.segnet.train.TrainerConfig;
import io.segnet.train.TrainingCallback;
import io.segnet.train.TrainingData;
import io.segnet.train.checkpoint.RunDirectory;
import io.segnet.train.log.EpochRecord;
import io.segnet.train.log.ProgressReporter;
import io.segnet.train.schedule.ScheduleConfig;
import org.bytedeco.javacpp.Pointer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A memory soak: the quickstart's model trained on M2NIST for a few thousand iterations (with a validation pass and
 * a checkpoint every epoch), printing the process's resident memory every {@code every} iterations. The resident
 * set should level off after warm-up; a steady climb is a leak (of off-heap ND4J arrays, typically) or the C
 * allocator's arenas fragmenting.
 *
 * <p>Each line: iteration, seconds, RSS from {@code /proc/self/status} (VmRSS), JavaCPP's count of off-heap bytes
 * ({@code Pointer.totalBytes()}), the used Java heap and the heap the JVM has committed. The trainer trims the C heap
 * every {@link Trainer#DEFAULT_TRIM_INTERVAL} (see {@link NativeHeap}). At the end: RSS at the first reading, at
 * half-time and at the end, and the growth over the second half (after warm-up; a leak shows as steady growth there).
 *
 * <pre>java -cp segnet-cli/target/segnet.jar io.segnet.bench.soak.TrainingSoak [iterations] [every]</pre>
 * or {@code segnet soak}.
 */
public final class TrainingSoak {

    /**
     * One reading.
     *
     * @param iteration   iterations done
     * @param seconds     since the start
     * @param rssBytes    resident set size of the process
     * @param offHeap     bytes JavaCPP has allocated off the Java heap
     * @param heapUsed    bytes used on the Java heap
     * @param heapCommitted bytes the Java heap has reserved from the system (part of the RSS once touched)
     */
    public record Reading(int iteration, double seconds, long rssBytes, long offHeap, long heapUsed,
                          long heapCommitted) {
    }

    private TrainingSoak() {
    }

    /**
     * Trains for {@code iterations} steps in a temporary run folder, printing a reading every {@code every} steps.
     *
     * @return the readings, in order
     */
    public static List<Reading> run(int iterations, int every, PrintStream out) throws IOException {
        return run(iterations, every, Trainer.DEFAULT_TRIM_INTERVAL, out);
    }

    /**
     * As {@link #run(int, int, PrintStream)}, trimming the C heap every {@code trimEvery} ({@link Duration#ZERO}:
     * never, to see what the allocator does on its own).
     */
    public static List<Reading> run(int iterations, int every, Duration trimEvery, PrintStream out)
            throws IOException {
        if (iterations < 1 || every < 1) {
            throw new IllegalArgumentException("iterations and every must be >= 1, got " + iterations + " and "
                    + every);
        }
        Split<M2nistGenerator> split = M2nistGenerator.split(7, 2000, 200);
        InMemorySource train = InMemorySource.load(split.train(), 2);
        InMemorySource validation = InMemorySource.load(split.validation(), 2);
        var model = SegmentationModels.quickstart(1, M2nistGenerator.NUM_CLASSES, 64, 84);
        TrainingData data = TrainingData.of(train, PadToMultiple.of(8), validation,
                Preprocessing.normalize(M2nistQuickstartData.MEAN, M2nistQuickstartData.STD));
        TrainerConfig config = TrainerConfig.defaults().withIterations(iterations).withBatchSize(16)
                .withOptimizer(OptimizerType.ADAM, 3e-3).withSchedule(ScheduleConfig.cosine()).withReporting(false, 50);
        Path dir = Files.createTempDirectory("segnet-soak");
        long start = System.nanoTime();
        List<Reading> readings = new ArrayList<>();
        out.println("iteration  seconds  RSS MiB  off-heap MiB  heap used MiB  heap committed MiB");
        Trainer trainer = new Trainer(config).progress(ProgressReporter.silent()).trimNativeHeapEvery(trimEvery);
        trainer.addCallback(new TrainingCallback() {
            @Override
            public void iterationDone(int iteration, double loss) {
                if (iteration % every == 0 || iteration == iterations) {
                    Runtime rt = Runtime.getRuntime();
                    Reading r = new Reading(iteration, (System.nanoTime() - start) / 1e9, NativeHeap.residentBytes(),
                            Pointer.totalBytes(), rt.totalMemory() - rt.freeMemory(), rt.totalMemory());
                    readings.add(r);
                    out.printf(Locale.ROOT, "%9d  %7.1f  %7.1f  %12.1f  %13.1f  %18.1f%n", r.iteration(), r.seconds(),
                            mib(r.rssBytes()), mib(r.offHeap()), mib(r.heapUsed()), mib(r.heapCommitted()));
                }
            }

            @Override
            public void epochDone(EpochRecord record, MetricReport validation) {
                out.printf(Locale.ROOT, "  epoch %d done: loss %.4f, validation mIoU %.4f%n", record.epoch(),
                        record.trainLoss(), validation.meanIoU());
            }
        });
        try {
            trainer.train(model, data, RunDirectory.create(dir.resolve("run"), false));
        } finally {
            deleteTree(dir);
        }
        if (readings.size() >= 3) {
            // Warm-up (JIT code, oneDNN's cached primitives and arena, the allocator's per-thread pools, the Java
            // heap settling) takes the first epochs; a leak keeps growing after it. So the growth is reported over
            // the second half of the run, where warm-up is over.
            Reading mid = readings.get((readings.size() - 1) / 2);
            Reading last = readings.get(readings.size() - 1);
            out.printf(Locale.ROOT, "RSS at the first reading (iteration %d): %.1f MiB; at half-time (iteration %d):"
                            + " %.1f MiB; at the end (iteration %d): %.1f MiB; growth over the second half %.1f MiB"
                            + " (%.2f MiB per 1000 iterations)%n", readings.get(0).iteration(),
                    mib(readings.get(0).rssBytes()), mid.iteration(), mib(mid.rssBytes()), last.iteration(),
                    mib(last.rssBytes()), mib(last.rssBytes() - mid.rssBytes()),
                    mib(last.rssBytes() - mid.rssBytes()) * 1000.0 / Math.max(1, last.iteration() - mid.iteration()));
        }
        return readings;
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** {@code TrainingSoak [iterations] [every]}: defaults 3000 and 100. */
    public static void main(String[] args) throws IOException {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int every = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        run(iterations, every, System.out);
        System.exit(0);
    }
}
