package io.segnet.data.dataset;

import io.segnet.data.Sample;
import io.segnet.data.SampleSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Samples held in memory: decoded once, then served without touching the disk. Use it for data sets that
 * fit in memory (membrane: 30 images of 512x512, 60 MB as floats) so that every epoch skips decoding.
 */
public final class InMemorySource implements SampleSource {

    private final List<Sample> samples;
    private final int numClasses;
    private final List<String> classNames;

    private InMemorySource(List<Sample> samples, int numClasses, List<String> classNames) {
        this.samples = List.copyOf(samples);
        this.numClasses = numClasses;
        this.classNames = List.copyOf(classNames);
        if (classNames.size() != numClasses) {
            throw new IllegalArgumentException(classNames.size() + " class names for " + numClasses + " classes");
        }
    }

    /** Wraps a list of samples. */
    public static InMemorySource of(List<Sample> samples, int numClasses, List<String> classNames) {
        return new InMemorySource(samples, numClasses, classNames);
    }

    /**
     * Decodes every sample of {@code source} on {@code threads} threads and keeps them.
     *
     * @throws io.segnet.data.DataException the first sample's problem, in index order, if any sample fails
     */
    public static InMemorySource load(SampleSource source, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "segnet-data-load");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Sample>> futures = new ArrayList<>(source.size());
            for (int i = 0; i < source.size(); i++) {
                int index = i;
                futures.add(pool.submit(() -> source.get(index)));
            }
            List<Sample> samples = new ArrayList<>(futures.size());
            for (Future<Sample> f : futures) {
                samples.add(f.get());
            }
            return new InMemorySource(samples, source.numClasses(), source.classNames());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading samples", e);
        } finally {
            pool.shutdownNow();
        }
    }

    @Override
    public int size() {
        return samples.size();
    }

    @Override
    public Sample get(int index) {
        return samples.get(Objects.checkIndex(index, samples.size()));
    }

    @Override
    public String id(int index) {
        return get(index).id();
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }
}
