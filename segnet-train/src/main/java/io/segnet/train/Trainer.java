package io.segnet.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segnet.core.loss.SegmentationLoss;
import io.segnet.core.runtime.GradientBuffers;
import io.segnet.core.runtime.NativeHeap;
import io.segnet.data.Rng;
import io.segnet.data.SampleSource;
import io.segnet.data.batch.BatchOptions;
import io.segnet.data.batch.SegmentationBatchIterator;
import io.segnet.inference.Evaluation;
import io.segnet.inference.Predictor;
import io.segnet.inference.PredictorConfig;
import io.segnet.metrics.MetricReport;
import io.segnet.models.DecoupledWeightDecay;
import io.segnet.models.ModelConfig;
import io.segnet.models.SegmentationModel;
import io.segnet.models.SegmentationModels;
import io.segnet.models.Training;
import io.segnet.common.io.AtomicFiles;
import io.segnet.train.checkpoint.Checkpoint;
import io.segnet.train.checkpoint.RunDirectory;
import io.segnet.train.checkpoint.TrainerState;
import io.segnet.train.checkpoint.TrainingMetadata;
import io.segnet.train.log.EpochRecord;
import io.segnet.train.log.MetricsLog;
import io.segnet.train.log.ProgressReporter;
import io.segnet.train.log.TrainingCurve;
import io.segnet.train.report.ReportSamples;
import io.segnet.train.report.RunReport;
import io.segnet.train.report.SamplePanel;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Trains a {@link SegmentationModel}: epochs (or iterations) of optimiser steps on augmented batches, validation with
 * the full metric report after every epoch, {@code best.zip} by a chosen metric, early stopping, a crash-safe
 * {@code last.zip} after every epoch, a metrics log, a training curve and a console progress bar; see
 * {@link RunDirectory} for the folder layout.
 *
 * <p><b>Reproducible and resumable.</b> Weight initialisation, data order and augmentation depend only on the seed
 * (batches of epoch {@code e} are a function of {@code (seed, e)}, whatever the thread count), and ND4J's random
 * generator is re-seeded from {@code (seed, e)} at every epoch start. A checkpoint holds the parameters, the
 * optimiser state (moments, iteration count, schedule), the trainer's counters and best score, so
 * {@link #resume} from a checkpoint taken at an epoch boundary continues exactly as the uninterrupted run would
 * have: the same parameters, metrics and files. A checkpoint taken inside an epoch (Ctrl-C) resumes at the next
 * batch of the same epoch order, which is exact as well for models that draw no random numbers while training (no
 * dropout).
 *
 * <p><b>Ctrl-C.</b> While {@link #train}/{@link #resume} run, a JVM shutdown hook (Ctrl-C, SIGTERM) asks the loop to
 * stop after the current step and waits while it saves {@code last.zip}; {@link #requestStop()} does the same from
 * code. The previous {@code last.zip} stays intact until the new one is complete. If the run has not returned two
 * minutes after the request (a long validation), the hook lets a save that is under way finish, lets no other start,
 * says which checkpoint to resume from ({@link #resumeCommand}) and lets the JVM exit: every file of the run folder is
 * then complete and no temporary file is left. The training curve is secondary: if it cannot be drawn while the run
 * stops, a note says so and the checkpoint and the resume hint are unaffected.
 *
 * <p>Not thread-safe: one run at a time per trainer.
 */
public final class Trainer {

    private static final long SHUTDOWN_WAIT_SECONDS = 120;
    /** Held while the run writes a file of the run folder; a shutdown that cannot wait longer takes it last. */
    private final ReentrantLock writing = new ReentrantLock();
    private String resumeCommand;
    private static final long FINAL_WORDS_MILLIS = 2000;

    private final TrainerConfig config;
    private ProgressReporter progress;
    private final List<TrainingCallback> callbacks = new ArrayList<>();
    private volatile boolean stopRequested;
    private boolean installShutdownHook = true;
    private NativeHeap.Trimmer trimmer = new NativeHeap.Trimmer(DEFAULT_TRIM_INTERVAL);
    private StepExecutor executor = StepExecutor.local();

    /** How often the training loop trims the native heap by default: 10 s. */
    public static final Duration DEFAULT_TRIM_INTERVAL = Duration.ofSeconds(10);

    /** A trainer with {@code config}, reporting progress on the console. */
    public Trainer(TrainerConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.progress = null;
    }

    /**
     * Runs the optimiser steps with {@code steps} instead of one step per batch on this machine (segnet-spark's
     * data-parallel training); everything else stays with this trainer.
     */
    public Trainer stepExecutor(StepExecutor steps) {
        this.executor = Objects.requireNonNull(steps, "steps");
        return this;
    }

    /** The settings. */
    public TrainerConfig config() {
        return config;
    }

    /** Reports progress to {@code reporter} instead of the console; returns this trainer. */
    public Trainer progress(ProgressReporter reporter) {
        this.progress = Objects.requireNonNull(reporter, "reporter");
        return this;
    }

    /** Adds a callback; returns this trainer. */
    public Trainer addCallback(TrainingCallback callback) {
        callbacks.add(Objects.requireNonNull(callback, "callback"));
        return this;
    }

    /** Whether to stop and save on Ctrl-C (JVM shutdown); on by default. Returns this trainer. */
    public Trainer stopOnShutdown(boolean on) {
        this.installShutdownHook = on;
        return this;
    }

    /**
     * How often the training loop returns the C allocator's freed memory to the operating system
     * ({@link NativeHeap#trim()}); without it the resident memory of a long run creeps up as glibc's per-thread arenas
     * fragment. {@link #DEFAULT_TRIM_INTERVAL} by default; {@link Duration#ZERO} turns it off. Returns this trainer.
     */
    public Trainer trimNativeHeapEvery(Duration interval) {
        this.trimmer = new NativeHeap.Trimmer(interval);
        return this;
    }

    /**
     * The command that continues an interrupted run (the CLI's {@code segnet train --resume --output DIR}), printed to
     * standard error if the JVM has to exit before the run returns; null (the default) prints the run folder instead.
     * Returns this trainer.
     */
    public Trainer resumeCommand(String command) {
        this.resumeCommand = command;
        return this;
    }

    /** Whether a stop was requested ({@link #requestStop()}, Ctrl-C) during the latest run. */
    public boolean stopRequested() {
        return stopRequested;
    }

    /**
     * Asks a running {@link #train}/{@link #resume} to stop after the current step, save {@code last.zip} and return
     * with {@link StopReason#INTERRUPTED}. Safe to call from any thread.
     */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * Creates a model of {@code modelConfig} (initialised from the seed, with this config's optimiser, schedule and
     * weight decay) and trains it.
     *
     * @throws IllegalArgumentException if model and data disagree (classes, channels), the run folder is unusable,
     *                                  or the loss becomes NaN (the message suggests what to change)
     */
    public TrainingResult train(ModelConfig modelConfig, TrainingData data, RunDirectory run) throws IOException {
        Objects.requireNonNull(modelConfig, "modelConfig");
        int total = config.totalIterations(batchesPerEpoch(data.train()));
        SegmentationModel model = SegmentationModels.create(modelConfig,
                new Training(config.updater(total), config.weightDecay(), config.seed()));
        if (config.tunesEncoder()) {
            applyOptimizer(model.graph(), config.updater(total), config.encoderUpdater(total), config.weightDecay());
        }
        return run(model, data, run, TrainerState.start());
    }

    /**
     * Trains an existing model (fine-tuning): its optimiser, learning-rate schedule, weight decay and iteration count
     * are replaced by this config's, starting from iteration 0; its parameters are kept.
     */
    public TrainingResult train(SegmentationModel model, TrainingData data, RunDirectory run) throws IOException {
        Objects.requireNonNull(model, "model");
        int total = config.totalIterations(batchesPerEpoch(data.train()));
        applyOptimizer(model.graph(), config.updater(total),
                config.tunesEncoder() ? config.encoderUpdater(total) : config.updater(total), config.weightDecay());
        return run(model, data, run, TrainerState.start());
    }

    /**
     * Continues the run in {@code run} from its {@code last.zip}.
     *
     * @throws IllegalArgumentException if the checkpoint was written with other trainer settings (the message
     *                                  names them) or has no training metadata
     */
    public TrainingResult resume(TrainingData data, RunDirectory run) throws IOException {
        Checkpoint.Contents c = Checkpoint.load(run.last());
        TrainingMetadata meta = c.metadata().orElseThrow(() -> new IllegalArgumentException(run.last()
                + " is a model without training state; it cannot be resumed (fine-tune it as a new run instead)"));
        if (!Checkpoint.hasOptimizerState(run.last())) {
            throw new IllegalArgumentException(run.last() + " is a model exported for inference, without the"
                    + " optimiser state that resuming needs; resume from the run's own last.zip, or fine-tune the"
                    + " export as a new run with --init " + run.last());
        }
        if (!meta.trainer().equals(config)) {
            throw new IllegalArgumentException("cannot resume " + run.last() + " with other trainer settings: "
                    + differences(meta.trainer(), config) + ". Resume with the settings in " + run.config());
        }
        if (!meta.classNames().equals(data.train().classNames())) {
            throw new IllegalArgumentException("cannot resume " + run.last() + ": it was trained on classes "
                    + meta.classNames() + ", the data has " + data.train().classNames());
        }
        return run(c.model(), data, run, meta.state());
    }

    /** Batches per epoch for a training set (the last partial batch is dropped if there is a full one). */
    public int batchesPerEpoch(SampleSource train) {
        int n = train.size();
        int b = config.batchSize();
        return n >= b ? n / b : 1;
    }

    // ---- the loop ---------------------------------------------------------------------------------------------

    private TrainingResult run(SegmentationModel model, TrainingData data, RunDirectory run, TrainerState start)
            throws IOException {
        checkFit(model, data);
        applyOutputWeights(model);
        stopRequested = false;
        ProgressReporter out = progress != null ? progress : ProgressReporter.console(config.progressBar());
        List<String> classNames = data.train().classNames();
        TrainingMetadata meta = new TrainingMetadata(start, config, classNames, data.preprocessing());
        if (data.fingerprint() != null) {
            model.setCard(model.card().withDataFingerprint(data.fingerprint()));
        }
        if (start.iteration() == 0 && start.batchInEpoch() == 0) {
            writeRunConfig(run, model, data);
        }
        int n = data.train().size();
        BatchOptions trainOptions = new BatchOptions(config.batchSize(), true, n >= config.batchSize(),
                config.seed(), config.workers(), 4);
        CountDownLatch done = new CountDownLatch(1);
        Thread trainingThread = Thread.currentThread();
        Thread hook = installShutdownHook ? new Thread(
                () -> stopAndWait(done, Duration.ofSeconds(SHUTDOWN_WAIT_SECONDS), trainingThread, run, System.err),
                "segnet-trainer-shutdown") : null;
        if (hook != null) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
        var gradientMask = config.freezeEncoderEpochs() > 0
                ? EncoderFreezing.install(model.graph(), config.freezeEncoderEpochs()) : null;
        try (SegmentationBatchIterator batches = new SegmentationBatchIterator(data.train(), data.trainTransform(),
                trainOptions);
             MetricsLog log = start.iteration() == 0 && start.batchInEpoch() == 0 ? MetricsLog.create(run.metrics())
                     : MetricsLog.resume(run.metrics(), start.iteration());
             ProgressReporter reporter = out) {
            int perEpoch = batches.numBatches();
            int total = config.totalIterations(perEpoch);
            return loop(new Session(model, data, run, meta, batches, log, reporter, perEpoch, total,
                    (total + perEpoch - 1) / perEpoch));
        } finally {
            if (gradientMask != null) {
                EncoderFreezing.uninstall(model.graph(), gradientMask);
            }
            // The training thread's reused gradient buffers are not needed after the run.
            GradientBuffers.clear();
            done.countDown();
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // The JVM is exiting: the hook is running and has just been released.
                }
            }
        }
    }

    /**
     * The shutdown hook's work: requests the stop and waits up to {@code wait} for the run to return (then a moment
     * longer for the caller's summary). If it does not, lets a save under way complete, starts no other (the write
     * lock is never released: the JVM exits) and prints to {@code err} which checkpoint to resume from and how.
     */
    void stopAndWait(CountDownLatch done, Duration wait, Thread trainingThread, RunDirectory run,
                     java.io.PrintStream err) {
        stopRequested = true;
        try {
            if (!done.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                writing.lock();
                err.println("the run did not reach its next checkpoint within " + wait.toSeconds() + " s of the"
                        + " stop request; " + run.last() + " holds the latest save. "
                        + (resumeCommand != null ? "continue with: " + resumeCommand : "Resume to continue"));
                err.flush();
                return;
            }
            // give the caller a moment to print its summary before the JVM halts
            trainingThread.join(FINAL_WORDS_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The lock the run holds while it writes a file of the run folder (for tests). */
    ReentrantLock writeLock() {
        return writing;
    }

    /** What one call of train/resume works with: the model, its data and run folder, the log and the plan. */
    private record Session(SegmentationModel model, TrainingData data, RunDirectory run, TrainingMetadata meta,
                           SegmentationBatchIterator batches, MetricsLog log, ProgressReporter reporter,
                           int perEpoch, int total, int epochs) {
    }

    /**
     * What training an epoch (or its rest, after a resume inside it) did.
     *
     * @param epoch       the epoch, from 0
     * @param iteration   iterations completed at its end
     * @param steps       its steps: those before a resume (loss only) and this session's
     * @param seconds     wall time of this session's steps
     * @param interrupted whether a stop request ended it before its last batch
     * @param stepWindowSteps   steps since the last step record
     * @param stepWindowLossSum their summed loss
     */
    private record EpochTraining(int epoch, int iteration, ThroughputWindow steps, double seconds,
                                 boolean interrupted, int stepWindowSteps, double stepWindowLossSum) {
    }

    private TrainingResult loop(Session s) throws IOException {
        TrainerState state = s.meta().state();
        MetricReport lastReport = null;
        if (state.finished()) {
            s.reporter().message("run " + s.run() + " has already finished (" + state.iteration() + " iterations);"
                    + " nothing to do");
            return result(s.model(), s.run(), StopReason.COMPLETED, state, null);
        }
        BestTracker best = BestTracker.resume(config, state);
        CheckpointPolicy checkpoints = new CheckpointPolicy(s.run());
        StepLog stepLog = new StepLog(s.log(), config.logEvery(), System::nanoTime);
        while (state.epoch() < s.epochs() && state.iteration() < s.total()) {
            EpochTraining epoch = trainEpoch(s, state, stepLog);
            if (epoch.interrupted()) {
                state = saveInterrupted(s, epoch, state, best, checkpoints);
                return result(s.model(), s.run(), StopReason.INTERRUPTED, state, lastReport);
            }
            Validation validation = validate(s);
            lastReport = validation.report();
            state = endEpoch(s, epoch, state, validation, best, checkpoints);
            StopReason stop = stopAfterEpoch(s, state, best);
            if (stop != null) {
                return result(s.model(), s.run(), stop, state, lastReport);
            }
        }
        return result(s.model(), s.run(), StopReason.COMPLETED, state, lastReport);
    }

    /**
     * Trains epoch {@code state.epoch()} from batch {@code state.batchInEpoch()}: re-seeds the batches and ND4J's
     * generator from {@code (seed, epoch)}, then one optimiser step per batch until the epoch or the run ends, or a
     * stop is requested.
     */
    private EpochTraining trainEpoch(Session s, TrainerState state, StepLog stepLog) {
        int epoch = state.epoch();
        s.batches().setEpoch(epoch);
        s.model().graph().getConfiguration().setEpochCount(epoch);
        EncoderFreezing.setEpoch(s.model().graph(), config.freezeEncoderEpochs(), epoch);
        Nd4j.getRandom().setSeed(Rng.mix(config.seed() * 31 + epoch));
        int skip = state.batchInEpoch();
        for (int i = 0; executor.readsLocalBatches() && i < skip; i++) {
            s.batches().next();
        }
        int iteration = state.iteration();
        int batchesThisEpoch = Math.min(s.perEpoch(), s.total() - (iteration - skip));
        s.reporter().epochStarted(epoch + 1, config.epochs() > 0 ? s.epochs() : 0, batchesThisEpoch, skip);
        ThroughputWindow steps = new ThroughputWindow(System::nanoTime, skip, state.epochLossSum());
        if (skip > 0) {
            stepLog.epochResumed(state.stepWindowSteps(), state.stepWindowLossSum());
        } else {
            stepLog.epochStarted();
        }
        boolean interrupted = false;
        int batch = skip;
        while (batch < s.perEpoch() && iteration < s.total()) {
            int count = Math.min(executor.batchesPerCall(), Math.min(s.perEpoch() - batch, s.total() - iteration));
            List<StepExecutor.Step> done = executor.fit(new StepExecutor.Round(s.model(), epoch, batch, count,
                    iteration, s.batches()));
            for (StepExecutor.Step step : done) {
                iteration++;
                batch++;
                requireFinite(step.loss(), iteration, epoch, s.run());
                steps.add(step.images(), step.loss());
                double lr = learningRate(s.model().graph(), iteration - 1, epoch);
                s.reporter().batchDone(step.images(), steps.meanLoss(), lr);
                for (TrainingCallback cb : callbacks) {
                    cb.iterationDone(iteration, step.loss());
                }
                stepLog.stepDone(epoch + 1, iteration, step.images(), step.loss(), lr);
            }
            trimmer.maybeTrim();
            if (stopRequested && batch < s.perEpoch() && iteration < s.total()) {
                interrupted = true;
                break;
            }
        }
        s.reporter().epochFinished();
        return new EpochTraining(epoch, iteration, steps, steps.seconds(), interrupted, stepLog.pendingSteps(),
                stepLog.pendingLossSum());
    }

    private void requireFinite(double loss, int iteration, int epoch, RunDirectory run) {
        if (!Double.isFinite(loss)) {
            throw new IllegalStateException("the training loss became " + loss + " at iteration " + iteration
                    + " (epoch " + (epoch + 1) + "); lower the learning rate (now " + config.learningRate()
                    + "), add a warm-up, or check the labels. " + run.last() + " holds the last good epoch");
        }
    }

    /**
     * The end of a completed epoch: best score and early stopping, the epoch record, checkpoints, curve, console line
     * and callbacks. Returns the state at the epoch's end.
     */
    private TrainerState endEpoch(Session s, EpochTraining epoch, TrainerState before, Validation validation,
                                  BestTracker best, CheckpointPolicy checkpoints) throws IOException {
        MetricReport report = validation.report();
        double value = report == null ? Double.NaN : config.bestMetric().of(report);
        boolean improved = false;
        if (report == null) {
            best.notValidated();
        } else {
            improved = best.validated(epoch.epoch() + 1, value);
        }
        boolean finished = best.shouldStop() || epoch.iteration() >= s.total();
        TrainerState state = new TrainerState(epoch.epoch() + 1, 0, epoch.iteration(), 0, best.value(), best.epoch(),
                best.epochsWithoutImprovement(), before.trainSeconds() + epoch.steps().seconds(), finished);
        EpochRecord record = new EpochRecord(epoch.epoch() + 1, epoch.iteration(), epoch.steps().meanLoss(),
                learningRate(s.model().graph(), epoch.iteration() - 1, epoch.epoch()), epoch.seconds(),
                validation.seconds(), epoch.steps().imagesPerSecond(epoch.seconds()),
                report == null ? Map.of() : Metric.summary(report), report == null ? Map.of() : classIoU(report),
                report == null ? null : value, improved);
        s.log().append(record);
        if (report != null) {
            s.model().setCard(withMetrics(s.model(), report));
        }
        for (Path file : checkpoints.afterEpoch(improved)) {
            save(file, s.model(), s.meta().withState(state));
        }
        writeCurve(s);
        writeReport(s, report, validation.imageIoU());
        s.reporter().message(epochLine(record, state, report != null, s.epochs()));
        for (TrainingCallback cb : callbacks) {
            cb.epochDone(record, report);
        }
        return state;
    }

    /** Saves a checkpoint while holding the run folder's write lock. */
    private void save(Path file, SegmentationModel model, TrainingMetadata meta) throws IOException {
        writing.lock();
        try {
            Checkpoint.save(file, model, meta);
        } finally {
            writing.unlock();
        }
    }

    /**
     * Draws the training curve. It is secondary to the checkpoints: while the run is being stopped (Ctrl-C) a failure
     * to draw it is a note, not an error, so the interrupted run still returns and its resume hint is printed.
     */
    private void writeCurve(Session s) throws IOException {
        writing.lock();
        try {
            TrainingCurve.write(s.run().curve(), s.log().records(), true);
        } catch (IOException | RuntimeException e) {
            if (!stopRequested) {
                throw e;
            }
            s.reporter().message("note: " + s.run().curve() + " was not updated while stopping (" + e + ");"
                    + " metrics.jsonl holds the numbers and the next epoch redraws it");
        } finally {
            writing.unlock();
        }
    }

    /** Saves the state of an epoch that a stop request cut short, and says so. Returns that state. */
    private TrainerState saveInterrupted(Session s, EpochTraining epoch, TrainerState before, BestTracker best,
                                         CheckpointPolicy checkpoints) throws IOException {
        TrainerState state = new TrainerState(epoch.epoch(), epoch.steps().steps(), epoch.iteration(),
                epoch.steps().lossSum(), best.value(), best.epoch(), best.epochsWithoutImprovement(),
                before.trainSeconds() + epoch.seconds(), false, epoch.stepWindowSteps(), epoch.stepWindowLossSum());
        for (Path file : checkpoints.afterInterruption()) {
            save(file, s.model(), s.meta().withState(state));
        }
        s.reporter().message("stopped at iteration " + epoch.iteration() + " (epoch " + (epoch.epoch() + 1)
                + ", batch " + epoch.steps().steps() + " of " + s.perEpoch() + "); saved " + s.run().last()
                + ". Resume to continue from there");
        return state;
    }

    /** Why the run ends after the epoch that led to {@code state} (said on the console), or null to go on. */
    private StopReason stopAfterEpoch(Session s, TrainerState state, BestTracker best) {
        if (best.shouldStop()) {
            s.reporter().message("early stop: " + config.bestMetric() + " has not improved by more than "
                    + config.minDelta() + " for " + best.epochsWithoutImprovement() + " epochs (best "
                    + fmt(best.value()) + " at epoch " + best.epoch() + ")");
            return StopReason.EARLY_STOPPED;
        }
        if (stopRequested && state.iteration() < s.total()) {
            s.reporter().message("stopped after epoch " + state.epoch() + "; " + s.run().last() + " holds it."
                    + " Resume to continue");
            return StopReason.INTERRUPTED;
        }
        return null;
    }

    /**
     * An epoch's validation.
     *
     * @param report  the report, null without a validation set
     * @param seconds its wall time
     */
    private record Validation(MetricReport report, double seconds, double[] imageIoU) {
    }

    private Validation validate(Session s) {
        long start = System.nanoTime();
        SampleSource val = s.data().validation();
        if (val == null) {
            return new Validation(null, (System.nanoTime() - start) / 1e9, new double[0]);
        }
        double[] imageIoU = new double[val.size()];
        int classes = Math.max(2, s.model().config().numClasses());
        int ignore = s.model().config().loss().ignoreIndex();
        MetricReport report = Evaluation.batched(s.model(), val, s.data().preprocessing().withoutResizing(),
                config.effectiveValidationBatchSize(), config.seed(), config.workers(),
                (i, prediction, truth) -> imageIoU[i] = SamplePanel.meanIoU(prediction, truth, classes, ignore));
        return new Validation(report, (System.nanoTime() - start) / 1e9, imageIoU);
    }

    /**
     * Rewrites {@code report.html}: the curves so far, the latest validation report, the fixed sample panels and the
     * best and worst validation images. A report is secondary to training: a failure is a note and training goes on.
     */
    private void writeReport(Session s, MetricReport report, double[] imageIoU) {
        writing.lock();
        try {
            SampleSource val = s.data().validation();
            // the validation images are already at the model's input size: normalise only
            ReportSamples.Selection panels = ReportSamples.select(Predictor.of(s.model(),
                    s.data().preprocessing().withoutResizing(), PredictorConfig.defaults()), val, imageIoU,
                    Math.max(2, s.model().config().numClasses()), s.model().config().loss().ignoreIndex());
            List<EpochRecord> epochs = s.log().records().stream().filter(r -> r instanceof EpochRecord)
                    .map(r -> (EpochRecord) r).toList();
            EpochRecord last = epochs.isEmpty() ? null : epochs.get(epochs.size() - 1);
            List<String> facts = new ArrayList<>();
            facts.add(s.model().config().typeName() + ", " + String.format(java.util.Locale.ROOT, "%,d",
                    s.model().parameterCount()) + " parameters, " + s.model().config().numClasses() + " classes");
            facts.add(s.data().train().size() + " training images, " + (val == null ? "no" : val.size())
                    + " validation images");
            if (last != null) {
                facts.add("epoch " + last.epoch() + " of " + s.epochs() + ", iteration " + last.iteration() + " of "
                        + s.total() + (report == null ? "" : "; scores below are this epoch's validation"));
            }
            RunReport.write(s.run().report(), new RunReport.Content(s.run().path().toString(), facts, epochs, report,
                    panels.samples(), panels.best(), panels.worst(), s.data().train().classNames()));
        } catch (IOException | RuntimeException e) {
            s.reporter().message("note: " + s.run().report() + " was not updated (" + e + "); training goes on");
        } finally {
            writing.unlock();
        }
    }

    private TrainingResult result(SegmentationModel model, RunDirectory run, StopReason reason, TrainerState s,
                                  MetricReport last) {
        return new TrainingResult(model, run, reason, s.epoch(), s.iteration(),
                config.bestMetric(), s.bestValue(), s.bestEpoch(), last, s.trainSeconds());
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    private void checkFit(SegmentationModel model, TrainingData data) {
        ModelConfig mc = model.config();
        int classes = mc.numClasses() == 1 ? 2 : mc.numClasses();
        if (classes != data.train().numClasses()) {
            throw new IllegalArgumentException("the model predicts " + classes + " classes"
                    + (mc.numClasses() == 1 ? " (one sigmoid channel)" : "") + " but the data has "
                    + data.train().numClasses() + " (" + data.train().classNames() + "); build the model with"
                    + " numClasses " + data.train().numClasses());
        }
        var first = data.train().get(0);
        if (first.channels() != mc.inChannels()) {
            throw new IllegalArgumentException("the model takes " + mc.inChannels() + "-channel images but training"
                    + " sample '" + first.id() + "' has " + first.channels() + "; build the model with inChannels "
                    + first.channels() + " or convert the images (DatasetConfig.withImageChannels)");
        }
    }

    private void applyOutputWeights(SegmentationModel model) {
        for (Map.Entry<String, Double> e : config.outputWeights().entrySet()) {
            boolean exists = model.graph().getConfiguration().getVertices().containsKey(e.getKey());
            Layer layer = exists ? model.graph().getLayer(e.getKey()) : null;
            if (layer == null || !(layer.conf().getLayer() instanceof SegmentationLoss loss)) {
                throw new IllegalArgumentException("outputWeights names '" + e.getKey() + "', which is not an output"
                        + " of this " + model.config().typeName() + " model; its outputs are " + model.outputs());
            }
            loss.outputWeight(e.getValue());
        }
    }

    /**
     * Replaces the optimiser of every layer of an initialised graph (fresh optimiser state, iteration and epoch
     * counts 0), and its decoupled weight decay on weights ({@code 0}: none; biases and batch-norm parameters are not
     * decayed).
     */
    static void applyOptimizer(ComputationGraph graph, IUpdater updater, double weightDecay) {
        applyOptimizer(graph, updater, updater, weightDecay);
    }

    /**
     * {@link #applyOptimizer(ComputationGraph, IUpdater, double)} with {@code encoderUpdater} for the layers under the
     * encoder scope ({@link EncoderFreezing}).
     */
    static void applyOptimizer(ComputationGraph graph, IUpdater updater, IUpdater encoderUpdater,
                               double weightDecay) {
        if (!encoderUpdater.equals(updater)) {
            EncoderFreezing.requireEncoder(graph);
        }
        for (Layer layer : graph.getLayers()) {
            if (layer.conf().getLayer() instanceof BaseLayer b) {
                b.setIUpdater((EncoderFreezing.inEncoder(b.getLayerName()) ? encoderUpdater : updater).clone());
                DecoupledWeightDecay.set(b, weightDecay);
            }
        }
        graph.getConfiguration().setIterationCount(0);
        graph.getConfiguration().setEpochCount(0);
        graph.setUpdater(new ComputationGraphUpdater(graph));
    }

    /**
     * The learning rate the optimiser uses at {@code iteration}: that of the first layer with parameters outside the
     * encoder (whose rate a fine-tuning run scales), else of the first layer with parameters.
     */
    static double learningRate(ComputationGraph graph, int iteration, int epoch) {
        double any = Double.NaN;
        for (Layer layer : graph.getLayers()) {
            if (layer.conf().getLayer() instanceof BaseLayer b && b.getIUpdater() != null
                    && b.getIUpdater().hasLearningRate() && layer.numParams() > 0) {
                double rate = b.getIUpdater().getLearningRate(Math.max(0, iteration), epoch);
                if (!EncoderFreezing.inEncoder(b.getLayerName())) {
                    return rate;
                }
                any = Double.isNaN(any) ? rate : any;
            }
        }
        return any;
    }

    private void writeRunConfig(RunDirectory run, SegmentationModel model, TrainingData data) throws IOException {
        ObjectNode root = ConfigFiles.JSON.createObjectNode();
        if (data.description() != null) {
            root.set("data", ConfigFiles.tree(data.description()));
        }
        root.set("model", ConfigFiles.tree(model.config()));
        root.set("trainer", ConfigFiles.tree(config));
        writing.lock();
        try {
            AtomicFiles.writeString(run.config(), true, ConfigFiles.toYaml(root));
        } finally {
            writing.unlock();
        }
    }

    private static io.segnet.models.ModelCard withMetrics(SegmentationModel model, MetricReport r) {
        io.segnet.models.ModelCard card = model.card();
        for (Map.Entry<String, Double> e : Metric.summary(r).entrySet()) {
            if (!e.getValue().isNaN()) {
                card = card.withMetric(e.getKey(), e.getValue());
            }
        }
        return card;
    }

    private static Map<String, Double> classIoU(MetricReport r) {
        Map<String, Double> m = new LinkedHashMap<>();
        r.classes().forEach(c -> m.put(c.name(), c.iou()));
        return m;
    }

    private String epochLine(EpochRecord r, TrainerState s, boolean validated, int epochs) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d: loss %.4f, %.1f img/s, %.1f s",
                r.epoch(), epochs, r.trainLoss(), r.imagesPerSecond(), r.trainSeconds()));
        if (validated) {
            String other = (config.bestMetric() == Metric.PIXEL_ACCURACY ? Metric.MEAN_IOU : Metric.PIXEL_ACCURACY).key();
            b.append(String.format(Locale.ROOT, "; validation %s %s, %s %s (%.1f s)", config.bestMetric(),
                    fmt(r.monitored()), other, fmt(r.validation().get(other)), r.validationSeconds()));
            b.append(r.best() ? " - best so far, saved best.zip" : ", best " + fmt(s.bestValue()) + " at epoch "
                    + s.bestEpoch());
        }
        return b.toString();
    }

    private static String fmt(Double v) {
        return v == null || v.isNaN() ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String differences(TrainerConfig a, TrainerConfig b) {
        var ta = ConfigFiles.tree(a);
        var tb = ConfigFiles.tree(b);
        List<String> diff = new ArrayList<>();
        ta.fieldNames().forEachRemaining(f -> {
            if (!ta.get(f).equals(tb.get(f))) {
                diff.add(f + " " + ta.get(f) + " in the checkpoint vs " + tb.get(f));
            }
        });
        return String.join("; ", diff);
    }
}
