package io.segnet.train.log;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Progress of a training run on the console, to standard error: per epoch, a progress bar (me.tongfei progressbar)
 * showing batches done, the running loss, the learning rate, images per second and the ETA of the epoch. When
 * standard error is not a terminal, or the environment variable {@code CI} is {@code true}, the bar is replaced by a
 * plain line every 10% of an epoch (no control characters in logs); without a bar wanted ({@code --no-progress}) only
 * the lines between epochs are printed; {@link #silent()} prints nothing.
 *
 * <p>Used from the training thread only.
 */
public abstract class ProgressReporter implements AutoCloseable {

    /** Called when an epoch starts: {@code epoch} from 1 of {@code epochs} (0 when the run counts iterations). */
    public abstract void epochStarted(int epoch, int epochs, int batches);

    /**
     * Called when an epoch continues after a resume: {@code done} of its {@code batches} batches were trained before
     * (the counts and percentages go on from there). By default {@link #epochStarted(int, int, int)} with the batches
     * left.
     */
    public void epochStarted(int epoch, int epochs, int batches, int done) {
        epochStarted(epoch, epochs, batches - done);
    }

    /** Called after each batch with the images in it, the mean loss so far this epoch and the learning rate. */
    public abstract void batchDone(int images, double meanLoss, double learningRate);

    /** Called when the epoch's batches are done. */
    public abstract void epochFinished();

    /** Prints a line between epochs (validation results, checkpoint notes). */
    public abstract void message(String line);

    @Override
    public void close() {
        epochFinished();
    }

    /**
     * The reporter for the console: with {@code wantBar}, a bar when standard error is an interactive terminal (and
     * {@code CI} is not {@code true}) and plain lines every 10% of an epoch otherwise; without it (the CLI's
     * {@code --no-progress}), no per-step output at all, only the lines between epochs.
     */
    public static ProgressReporter console(boolean wantBar) {
        if (!wantBar) {
            return messagesOnly(System.err);
        }
        boolean terminal = System.console() != null && !"true".equalsIgnoreCase(System.getenv("CI"));
        return terminal ? new Bar(System.err) : new Lines(System.err);
    }

    /** Only the lines between epochs ({@link #message}) to {@code out}; nothing per step. */
    public static ProgressReporter messagesOnly(PrintStream out) {
        return new ProgressReporter() {
            @Override public void epochStarted(int epoch, int epochs, int batches) { }
            @Override public void batchDone(int images, double meanLoss, double learningRate) { }
            @Override public void epochFinished() { }
            @Override public void message(String line) {
                out.println(line);
            }
        };
    }

    /** Plain lines to {@code out}. */
    public static ProgressReporter lines(PrintStream out) {
        return new Lines(out);
    }

    /** Prints nothing. */
    public static ProgressReporter silent() {
        return new ProgressReporter() {
            @Override public void epochStarted(int epoch, int epochs, int batches) { }
            @Override public void batchDone(int images, double meanLoss, double learningRate) { }
            @Override public void epochFinished() { }
            @Override public void message(String line) { }
        };
    }

    static String label(int epoch, int epochs) {
        return epochs > 0 ? "epoch " + epoch + "/" + epochs : "epoch " + epoch;
    }

    /**
     * Characters of a rendered progress line, at most: it fits an 80-column terminal with the cursor after it, and
     * the bar shrinks first, so the batch count, elapsed time, ETA, loss and images/s always show.
     */
    static final int WIDTH = 79;

    /**
     * What follows the bar's ETA: the running mean loss (4 significant digits) and the throughput (the learning rate
     * is in the log).
     */
    static String extraMessage(double meanLoss, double imagesPerSecond) {
        return String.format(Locale.ROOT, imagesPerSecond >= 100 ? "loss %.4g %.0f img/s" : "loss %.4g %.1f img/s",
                meanLoss, imagesPerSecond);
    }

    /** The progress bar. */
    static final class Bar extends ProgressReporter {
        private final PrintStream out;
        private ProgressBar bar;
        private long images;
        private long startNanos;

        Bar(PrintStream out) {
            this.out = out;
        }

        @Override
        public void epochStarted(int epoch, int epochs, int batches) {
            epochStarted(epoch, epochs, batches, 0);
        }

        @Override
        public void epochStarted(int epoch, int epochs, int batches, int done) {
            epochFinished();
            images = 0;
            startNanos = System.nanoTime();
            bar = new ProgressBarBuilder().setTaskName(label(epoch, epochs)).setInitialMax(batches)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500)
                    .setConsumer(new ConsoleProgressBarConsumer(out, WIDTH)).setMaxRenderedLength(WIDTH)
                    .startsFrom(done, Duration.ZERO).build();
        }

        @Override
        public void batchDone(int n, double meanLoss, double learningRate) {
            images += n;
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            bar.step();
            bar.setExtraMessage(extraMessage(meanLoss, seconds > 0 ? images / seconds : 0));
        }

        @Override
        public void epochFinished() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }

        @Override
        public void message(String line) {
            epochFinished();
            out.println(line);
        }
    }

    /** Plain lines every 10% of an epoch. */
    private static final class Lines extends ProgressReporter {
        private final PrintStream out;
        private String label;
        private int batches;
        private int done;
        private int before;
        private int nextReport;
        private long images;
        private long startNanos;

        Lines(PrintStream out) {
            this.out = out;
        }

        @Override
        public void epochStarted(int epoch, int epochs, int batches) {
            epochStarted(epoch, epochs, batches, 0);
        }

        @Override
        public void epochStarted(int epoch, int epochs, int batches, int before) {
            this.label = label(epoch, epochs);
            this.batches = batches;
            this.before = before;
            done = before;
            images = 0;
            int tenth = Math.max(1, batches / 10);
            nextReport = (before / tenth + 1) * tenth;
            startNanos = System.nanoTime();
        }

        @Override
        public void batchDone(int n, double meanLoss, double learningRate) {
            done++;
            images += n;
            if (done >= nextReport || done == batches) {
                double seconds = (System.nanoTime() - startNanos) / 1e9;
                long eta = done == before ? 0 : Math.round(seconds / (done - before) * (batches - done));
                out.printf(Locale.ROOT, "%s %3d%% (%d/%d)  loss %.4f  lr %.2e  %.1f img/s  ETA %s%n", label,
                        100 * done / Math.max(1, batches), done, batches, meanLoss, learningRate,
                        seconds > 0 ? images / seconds : 0, clock(Duration.ofSeconds(eta)));
                int tenth = Math.max(1, batches / 10);
                nextReport = (done / tenth + 1) * tenth;
            }
        }

        @Override
        public void epochFinished() {
        }

        @Override
        public void message(String line) {
            out.println(line);
        }
    }

    /** {@code h:mm:ss}. */
    public static String clock(Duration d) {
        long s = d.getSeconds();
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
