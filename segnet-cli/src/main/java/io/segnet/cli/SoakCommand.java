package io.segnet.cli;

import io.segnet.bench.soak.TrainingSoak;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code segnet soak}: trains for thousands of steps and prints the resident memory over time. */
@Command(header = "Train for thousands of steps and print memory use over time.",
        name = "soak", mixinStandardHelpOptions = true,
        description = {"Train the quickstart model on M2NIST for many iterations (validating and checkpointing every"
                + " epoch, in a temporary folder that is deleted afterwards) and print the process's resident memory"
                + " (RSS), JavaCPP's off-heap bytes and the Java heap every few iterations. After warm-up the RSS"
                + " should stay flat."},
        footer = {"", "Example:", "  segnet soak --iterations 3000 --every 100"})
public final class SoakCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "3000",
            description = "Training steps (default ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--every", paramLabel = "N", defaultValue = "100",
            description = "Steps between readings (default ${DEFAULT-VALUE}).")
    int every;

    @Option(names = "--trim-every", paramLabel = "SECONDS", defaultValue = "10",
            description = "Seconds between trims of the C heap, as segnet train does (default ${DEFAULT-VALUE});"
                    + " 0 never trims, to see the allocator's own behaviour.")
    double trimEvery;

    @Override
    public Integer call() throws IOException {
        if (iterations < 1 || every < 1) {
            throw new UsageException("--iterations and --every must be >= 1, got " + iterations + " and " + every);
        }
        if (!(trimEvery >= 0)) {
            throw new UsageException("--trim-every must be >= 0 seconds, got " + trimEvery);
        }
        TrainingSoak.run(iterations, every, Duration.ofMillis(Math.round(trimEvery * 1000)), System.out);
        System.out.flush();
        return 0;
    }
}
