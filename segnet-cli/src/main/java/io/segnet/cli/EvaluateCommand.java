package io.segnet.cli;

import io.segnet.data.SampleSource;
import io.segnet.inference.Evaluation;
import io.segnet.inference.Predictor;
import io.segnet.train.report.ReportSamples;
import io.segnet.train.report.RunReport;
import io.segnet.train.report.SamplePanel;
import io.segnet.metrics.MetricConfig;
import io.segnet.metrics.MetricReport;
import io.segnet.metrics.Reduction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code segnet evaluate}: the full metric report of a saved model on a labelled data set. */
@Command(header = "Score a saved model on labelled images (full metric report).",
        name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate a saved model on labelled images: pixel accuracy, mean accuracy, mean IoU,"
                + " frequency-weighted IoU, Dice, precision, recall and F-score per class and overall. The data"
                + " comes from --config, or from the config.yaml of the run folder the model is in."},
        footer = {"", "Examples:", "  segnet evaluate --model runs/train/best.zip",
                "  segnet evaluate --model best.zip --config run.yaml --split train --flip --report report.json"})
public final class EvaluateCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    PredictorOptions predictor;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", required = true, description = "The saved model"
            + " (best.zip, last.zip or any segnet model file).")
    Path model;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Settings file whose data section to"
            + " evaluate on (default: config.yaml next to the model).")
    Path config;

    @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "validation",
            description = "validation (default) or train.")
    String split;

    @Option(names = "--imagewise", description = "Average scores over images instead of over all pixels.")
    boolean imagewise;

    /** The scores' file name in a --report folder, beside report.html. */
    static final String REPORT_SCORES = "metrics.json";

    @Option(names = "--report", paramLabel = "PATH", description = "Also write the report: PATH ending in .json gets"
            + " the scores as JSON; any other PATH is a folder that gets report.html (scores, per-class table,"
            + " confusion matrix, sample panels with the best and worst images; self-contained) and metrics.json.")
    Path report;

    @Option(names = "--markdown", paramLabel = "FILE", description = "Also write the report as Markdown.")
    Path markdown;

    @Option(names = "--confusion", paramLabel = "FILE", description = "Also write the confusion matrix as a PNG.")
    Path confusion;

    @Option(names = "--overwrite", description = "Replace existing report files.")
    boolean overwrite;

    @Option(names = "--ignore-value", paramLabel = "V", description = "Folder data: mask value of pixels that"
            + " count for nothing, e.g. 11 for CamVid's void (default: the data section's, else 255).")
    Integer ignoreValue;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2", description = "Worker threads (default"
            + " ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        long start = System.nanoTime();
        predictor.config(); // a malformed --tile or --scales is a usage error before anything loads
        if (!split.equals("validation") && !split.equals("train")) {
            throw new UsageException("--split is '" + split + "'; use validation or train");
        }
        LoadedModel m = LoadedModel.load(model, spec.commandLine().getErr());
        Predictor p = predictor.predictor(m.model(), m.preprocessing()); // a bad --tile is a usage error
        var flags = io.segnet.train.ConfigFiles.JSON.createObjectNode();
        if (ignoreValue != null) {
            flags.putObject("data").put("ignoreValue", ignoreValue);
        }
        if (config == null && m.run().isEmpty()) {
            throw new UsageException("no data to evaluate on: " + model + " is not in a run folder with a"
                    + " config.yaml; give --config FILE with a data section");
        }
        RunSpec run = RunSpec.load(config != null ? config
                : model.toAbsolutePath().getParent().resolve(io.segnet.train.checkpoint.RunDirectory.CONFIG), flags);
        DataCheck.require(run.data(), spec.commandLine().getErr(), false);
        DataSpec.Sources sources = run.data().open(threads, false); // the predictor applies the model's input size
        SampleSource data = split.equals("train") ? sources.train() : sources.validation();
        if (data == null) {
            throw new UsageException("the data section has no validation images; use --split train or add"
                    + " validation data");
        }
        if (!sources.classNames().equals(m.classNames())) {
            throw new IllegalArgumentException("the model was trained on classes " + m.classNames() + " but the"
                    + " data has " + sources.classNames());
        }
        MetricConfig metrics = MetricConfig.of(m.classNames()).withIgnoreValue(
                m.model().config().loss().ignoreIndex());
        if (imagewise) {
            metrics = metrics.withReduction(Reduction.IMAGEWISE);
        }
        boolean html = report != null && !report.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
        if (html) {
            requireReportFolder(report);
        } else if (report != null) {
            requireNewOrOverwritten(report, "--report");
        }
        if (markdown != null) {
            requireNewOrOverwritten(markdown, "--markdown");
        }
        if (confusion != null) {
            requireNewOrOverwritten(confusion, "--confusion");
        }
        double[] imageIoU = new double[data.size()];
        int classes = Math.max(2, m.model().config().numClasses());
        int ignore = m.model().config().loss().ignoreIndex();
        MetricReport r = Evaluation.run(p, data, metrics, threads, (i, sample, prediction) -> imageIoU[i] =
                SamplePanel.meanIoU(prediction.classMap(), sample.mask(), classes, ignore));
        String origin = split.equals("train") ? run.data().source().fingerprint()
                : run.data().source().validationOrigin();
        out.printf(Locale.ROOT, "%s on %d %s images of %s (%.1f s)%n", model, data.size(), split, origin,
                (System.nanoTime() - start) / 1e9);
        out.println(r.toConsoleTable());
        if (html) {
            r.writeJson(report.resolve(REPORT_SCORES), true);
            ReportSamples.Selection panels = ReportSamples.select(p, data, imageIoU, classes, ignore);
            RunReport.write(report.resolve(RunReport.FILE), new RunReport.Content(model.toString(), List.of(
                    m.model().config().typeName() + ", " + m.model().config().numClasses() + " classes",
                    data.size() + " " + split + " images of " + origin), List.of(), r,
                    panels.samples(), panels.best(), panels.worst(), m.classNames()));
            out.println("report: " + report.resolve(RunReport.FILE) + " (and metrics.json)");
        } else if (report != null) {
            r.writeJson(report, overwrite);
            out.println("report: " + report);
        }
        if (markdown != null) {
            io.segnet.common.io.AtomicFiles.write(markdown, overwrite,
                    o -> o.write(r.toMarkdown().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            out.println("markdown: " + markdown);
        }
        if (confusion != null) {
            int size = Math.max(400, 60 * r.numClasses() + 200);
            r.writeConfusionHeatmap(confusion, size, size, overwrite);
            out.println("confusion matrix: " + confusion);
        }
        out.flush();
        return 0;
    }

    /** Refuses, before any work, an output file that exists unless --overwrite was given. */
    private void requireNewOrOverwritten(Path file, String flag) {
        if (java.nio.file.Files.exists(file) && !overwrite) {
            throw new UsageException(flag + " " + file + " exists; give --overwrite to replace it, or another "
                    + flag + " path");
        }
    }

    /**
     * A report folder is new, empty, or holds only an earlier report (which --overwrite replaces): never a file, and
     * never a folder of the user's own files (e.g. the images evaluated). It is created here, before the evaluation,
     * so that a path that cannot be written fails at once.
     */
    private void requireReportFolder(Path dir) {
        if (java.nio.file.Files.isRegularFile(dir)) {
            throw new UsageException("--report " + dir + " is a file; give a folder for report.html, or a path ending"
                    + " in .json for the scores as JSON");
        }
        if (java.nio.file.Files.isDirectory(dir)) {
            List<String> others;
            try (var files = java.nio.file.Files.list(dir)) {
                others = files.map(f -> f.getFileName().toString())
                        .filter(n -> !n.equals(RunReport.FILE) && !n.equals(REPORT_SCORES)).sorted().toList();
            } catch (IOException e) {
                throw new UsageException("--report " + dir + " cannot be read: " + e.getMessage(), e);
            }
            if (!others.isEmpty()) {
                throw new UsageException("--report " + dir + " holds other files (" + String.join(", ",
                        others.subList(0, Math.min(3, others.size()))) + (others.size() > 3 ? ", ..." : "")
                        + "); a report goes into a new or empty folder, never among your files: give another"
                        + " --report folder, e.g. " + dir.resolveSibling(dir.getFileName() + "-report"));
            }
        }
        if (java.nio.file.Files.exists(dir.resolve(RunReport.FILE)) && !overwrite) {
            throw new UsageException(dir.resolve(RunReport.FILE) + " exists; give --overwrite to replace it, or"
                    + " another --report folder");
        }
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UsageException("--report " + dir + " cannot be created: " + SegnetCli.oneLine(e), e);
        }
    }
}
