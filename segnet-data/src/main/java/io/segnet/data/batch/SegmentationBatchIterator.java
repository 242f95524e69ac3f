package io.segnet.data.batch;

import io.segnet.data.Rng;
import io.segnet.data.Sample;
import io.segnet.data.SampleSource;
import io.segnet.data.transform.PadToMultiple;
import io.segnet.data.transform.Transform;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Batches of a {@link SampleSource} for DL4J training: features {@code [N,C,H,W]} float (the images after
 * the transform) and labels {@code [N,1,H,W]} float holding class ids, with the ignore value (255 by
 * default) where pixels are ignored or padded; the layout that segnet-core's loss layers take. Plugs into
 * {@code ComputationGraph.fit(DataSetIterator)}.
 *
 * <p>Batches are prepared on {@code workers} background threads, up to {@code prefetch} batches ahead of
 * the consumer, so that decoding and augmentation overlap the training step. The result does not depend on
 * thread timing: the order of epoch {@code e} is a permutation drawn from {@code (seed, e)}, and sample
 * {@code i} is augmented with {@code Rng.of(seed, e, i)}; batches are delivered in order whatever thread
 * finished first. So one seed gives bitwise identical batches with 1 or 8 workers.
 *
 * <p>{@link #reset()} starts the next epoch (a new order and new augmentations); calling it before any
 * batch of the current epoch was taken keeps the current epoch, which matches DL4J's
 * {@code fit(iterator, epochs)}, which resets only once an epoch is exhausted. {@link #setEpoch(int)} jumps
 * to an epoch (to resume training). A {@link DataSetPreProcessor} set with {@link #setPreProcessor} runs on
 * the consuming thread. Samples of different sizes in one batch are padded at the bottom and right to the largest
 * (image 0, mask the ignore value); all need the same channels. Single consumer; {@link #close()} stops the threads (they are daemon
 * threads, so an unclosed iterator does not keep the JVM alive).
 */
public final class SegmentationBatchIterator implements DataSetIterator, AutoCloseable {

    private static final long serialVersionUID = 1L;
    private static final long ORDER_STREAM = 0x0DE7L;
    private static final AtomicInteger POOL_NUMBER = new AtomicInteger();

    private final transient SampleSource source;
    private final transient Transform transform;
    private final BatchOptions options;
    private final transient ExecutorService pool;
    private final transient ArrayDeque<Future<DataSet>> pending = new ArrayDeque<>();
    private transient DataSetPreProcessor preProcessor;

    private int epoch;
    private boolean epochStarted;
    private int[] order;
    private int numBatches;
    private int nextToSubmit;
    private int nextToTake;
    private boolean closed;
    private long inputColumns = -1;

    /**
     * An iterator over {@code source}, each sample passed through {@code transform}.
     *
     * @param source    the samples
     * @param transform augmentation and preprocessing, or {@code null} for none
     * @param options   batch size, shuffling, seed, threads
     * @throws IllegalArgumentException if the source is empty, or has fewer samples than one batch while
     *                                  {@code dropLast} is set
     */
    public SegmentationBatchIterator(SampleSource source, Transform transform, BatchOptions options) {
        this.source = source;
        this.transform = transform == null ? (s, rng) -> s : transform;
        this.options = options;
        if (source.size() == 0) {
            throw new IllegalArgumentException("the sample source is empty; check the data set's folders");
        }
        if (options.dropLast() && source.size() < options.batchSize()) {
            throw new IllegalArgumentException("the source has " + source.size() + " samples, fewer than one batch of "
                    + options.batchSize() + ", and dropLast is set, so an epoch would be empty; lower batchSize or"
                    + " keep the last partial batch");
        }
        int poolId = POOL_NUMBER.incrementAndGet();
        AtomicInteger threadId = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(options.workers(), r -> {
            Thread t = new Thread(r, "segnet-batches-" + poolId + "-" + threadId.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        startEpoch(0);
    }

    /** An iterator without transform. */
    public SegmentationBatchIterator(SampleSource source, BatchOptions options) {
        this(source, null, options);
    }

    @Override
    public boolean hasNext() {
        return nextToTake < numBatches;
    }

    /**
     * The next batch: features {@code [n,C,H,W]}, labels {@code [n,1,H,W]} (absent when the samples have no
     * masks), {@code n = batchSize} except perhaps for the last batch.
     *
     * @throws NoSuchElementException when the epoch has no batch left (call {@link #reset()})
     */
    @Override
    public DataSet next() {
        if (closed) {
            throw new IllegalStateException("the iterator is closed");
        }
        if (!hasNext()) {
            throw new NoSuchElementException("epoch " + epoch + " has ended after " + numBatches
                    + " batches; call reset() to start epoch " + (epoch + 1));
        }
        fill();
        Future<DataSet> future = pending.poll();
        nextToTake++;
        epochStarted = true;
        fill();
        DataSet batch = await(future);
        if (preProcessor != null) {
            preProcessor.preProcess(batch);
        }
        return batch;
    }

    /**
     * Batches have the fixed size of {@link BatchOptions#batchSize()}; {@code num} must equal it.
     *
     * @throws UnsupportedOperationException for any other size
     */
    @Override
    public DataSet next(int num) {
        if (num != options.batchSize()) {
            throw new UnsupportedOperationException("this iterator makes batches of " + options.batchSize()
                    + " (BatchOptions.batchSize), prepared ahead of time; create it with batchSize " + num
                    + " to get batches of " + num);
        }
        return next();
    }

    /** Starts the next epoch, unless no batch of the current one was taken yet. */
    @Override
    public void reset() {
        startEpoch(epochStarted ? epoch + 1 : epoch);
    }

    /** Jumps to epoch {@code e} (its order and augmentations), discarding batches prepared for another. */
    public void setEpoch(int e) {
        if (e < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + e);
        }
        startEpoch(e);
    }

    /**
     * Batch {@code b} of epoch {@code e}, built on the calling thread: the same samples, augmentations and padding as
     * the {@code b}-th {@link #next()} of that epoch delivers (so another machine holding the same source and options
     * can build any batch of the run). Does not move the iterator; reads only the batch's samples.
     *
     * @throws IndexOutOfBoundsException if the epoch has no batch {@code b}
     */
    public DataSet batch(int e, int b) {
        if (e < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + e);
        }
        DataSet batch = build(indices(orderOf(e), Objects.checkIndex(b, numBatches)), e);
        if (preProcessor != null) {
            preProcessor.preProcess(batch);
        }
        return batch;
    }

    /** The current epoch, from 0. */
    public int epoch() {
        return epoch;
    }

    /** Batches per epoch. */
    public int numBatches() {
        return numBatches;
    }

    /** The options. */
    public BatchOptions options() {
        return options;
    }

    /** C*H*W of one transformed sample (computed from sample 0 on first call). */
    @Override
    public int inputColumns() {
        if (inputColumns < 0) {
            Sample s = transform.apply(source.get(0), Rng.of(options.seed(), epoch, 0));
            inputColumns = (long) s.channels() * s.height() * s.width();
        }
        return (int) inputColumns;
    }

    /** The number of classes. */
    @Override
    public int totalOutcomes() {
        return source.numClasses();
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    /** False: the iterator already prepares batches in the background; DL4J need not wrap it. */
    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public int batch() {
        return options.batchSize();
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    /** The class names of the source. */
    @Override
    public List<String> getLabels() {
        return source.classNames();
    }

    /** Stops the worker threads; batches not yet taken are discarded. */
    @Override
    public void close() {
        closed = true;
        cancelPending();
        pool.shutdownNow();
    }

    private void startEpoch(int e) {
        if (closed) {
            throw new IllegalStateException("the iterator is closed");
        }
        cancelPending();
        epoch = e;
        epochStarted = false;
        int n = source.size();
        order = orderOf(e);
        numBatches = options.dropLast() ? n / options.batchSize() : (n + options.batchSize() - 1) / options.batchSize();
        nextToSubmit = 0;
        nextToTake = 0;
    }

    /** The sample order of epoch {@code e}: a permutation drawn from {@code (seed, e)}, or 0..n-1 unshuffled. */
    private int[] orderOf(int e) {
        int n = source.size();
        return options.shuffle() ? Rng.of(options.seed(), ORDER_STREAM, e).permutation(n) : identity(n);
    }

    /** The sample indices of batch {@code b} in {@code order}. */
    private int[] indices(int[] order, int b) {
        int from = b * options.batchSize();
        return Arrays.copyOfRange(order, from, Math.min(order.length, from + options.batchSize()));
    }

    private void fill() {
        while (pending.size() < options.prefetch() && nextToSubmit < numBatches) {
            int[] indices = indices(order, nextToSubmit++);
            int e = epoch;
            pending.add(pool.submit(() -> build(indices, e)));
        }
    }

    private void cancelPending() {
        for (Future<DataSet> f : pending) {
            f.cancel(false);
        }
        pending.clear();
    }

    private DataSet build(int[] indices, int e) {
        Sample[] samples = new Sample[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            samples[k] = transform.apply(source.get(i), Rng.of(options.seed(), e, i));
        }
        int h = 0;
        int w = 0;
        for (Sample s : samples) {
            h = Math.max(h, s.height());
            w = Math.max(w, s.width());
        }
        for (int k = 0; k < samples.length; k++) {
            // unevenly sized images (real photo sets) share a batch padded to the largest, as mmsegmentation's
            // data preprocessor does: image 0 after normalisation, masks the ignore value (not scored, no loss)
            samples[k] = PadToMultiple.padTo(samples[k], h, w, 0f);
        }
        Sample first = samples[0];
        int c = first.channels();
        int plane = h * w;
        float[] features = new float[indices.length * c * plane];
        float[] labels = first.hasMask() ? new float[indices.length * plane] : null;
        for (int k = 0; k < samples.length; k++) {
            Sample s = samples[k];
            if (s.channels() != c || s.height() != h || s.width() != w) {
                throw new IllegalArgumentException("samples '" + first.id() + "' (" + first.shapeString() + ") and '"
                        + s.id() + "' (" + s.shapeString() + ") fall in one batch but differ in channels; convert"
                        + " them with --image-channels 1 or 3 (YAML data.imageChannels)");
            }
            if (s.hasMask() != first.hasMask()) {
                throw new IllegalArgumentException("sample '" + (s.hasMask() ? first.id() : s.id()) + "' has no mask"
                        + " but others in its batch have one; a batch needs masks for all samples or for none");
            }
            System.arraycopy(s.image(), 0, features, k * c * plane, c * plane);
            if (labels != null) {
                int[] m = s.mask();
                int off = k * plane;
                for (int p = 0; p < plane; p++) {
                    labels[off + p] = m[p];
                }
            }
        }
        INDArray f = Nd4j.create(features, new long[]{indices.length, c, h, w}, 'c');
        INDArray l = labels == null ? null : Nd4j.create(labels, new long[]{indices.length, 1, h, w}, 'c');
        return new DataSet(f, l);
    }

    private static DataSet await(Future<DataSet> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("preparing a batch failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a batch", e);
        }
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
    }
}
