package io.segnet.cli;

import io.segnet.bench.TimingPlan;
import io.segnet.bench.layers.LayerBenchmark;
import io.segnet.bench.models.ModelBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code segnet benchmark}: the reference cases of {@code shared/bench/torch_reference.py}, one JSON line each, as
 * {@code compare.py} reads them.
 */
@Command(header = "Time the reference benchmark cases (one JSON line each).",
        name = "benchmark", mixinStandardHelpOptions = true,
        description = {"Time the benchmark cases of shared/bench/torch_reference.py on segnet and print one JSON line"
                + " per case: {\"case\", \"what\", \"ms_median\", \"ms_min\", \"ms_max\", \"runs\"} (at least "
                + TimingPlan.REFERENCE_WARMUP_RUNS + " warm-up runs and " + (int) TimingPlan.REFERENCE_WARMUP_SECONDS
                + " s of warm-up, so that the JIT has compiled segnet's Java kernels, then 5 timed"
                + " runs). Layer cases L1-L8 time forward+backward of one layer; M1, M2 time a training step"
                + " and I1, I2 an inference pass of a whole model."},
        footer = {"", "Examples:", "  segnet benchmark L1 M1",
                "  python3 shared/bench/compare.py --segnet \"java -jar segnet-cli/target/segnet.jar benchmark\" L1 M1"})
public final class BenchmarkCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "CASE", description = "Cases to run (default: all): L1 ... L8, M1, M2, I1, I2.")
    List<String> cases = new ArrayList<>();

    @Override
    public Integer call() {
        List<String> all = new ArrayList<>(LayerBenchmark.cases());
        all.addAll(ModelBenchmark.cases());
        List<String> names = new ArrayList<>();
        for (String c : cases.isEmpty() ? all : cases) {
            String n = c.toUpperCase(Locale.ROOT);
            if (!all.contains(n)) {
                throw new UsageException("unknown benchmark case '" + c + "'; cases: " + String.join(" ", all));
            }
            names.add(n);
        }
        PrintWriter out = spec.commandLine().getOut();
        for (String n : names) {
            out.println(ModelBenchmark.cases().contains(n) ? ModelBenchmark.run(n) : LayerBenchmark.run(n));
            out.flush();
        }
        return 0;
    }
}
