package io.segnet.data.batch;

/**
 * How {@link SegmentationBatchIterator} forms batches.
 *
 * <p>Defaults ({@link #of(int)}): shuffled every epoch, last partial batch kept, seed 0, 2 worker
 * threads, up to 4 batches prepared ahead.
 *
 * @param batchSize N, samples per batch (>= 1)
 * @param shuffle   whether each epoch visits the samples in a new order, drawn from (seed, epoch)
 * @param dropLast  whether to drop the last batch when it would hold fewer than N samples
 * @param seed      the seed of the order and of every sample's augmentation
 * @param workers   background threads that decode, augment and stack batches (>= 1)
 * @param prefetch  batches prepared ahead of the consumer (>= 1); bounds memory to about
 *                  {@code prefetch} batches
 */
public record BatchOptions(int batchSize, boolean shuffle, boolean dropLast, long seed, int workers, int prefetch) {

    /** Checks the counts. */
    public BatchOptions {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize is " + batchSize + "; use at least 1");
        }
        if (workers < 1) {
            throw new IllegalArgumentException("workers is " + workers + "; use at least 1 background thread");
        }
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch is " + prefetch + "; prepare at least 1 batch ahead");
        }
    }

    /** Batches of {@code batchSize} with the defaults. */
    public static BatchOptions of(int batchSize) {
        return new BatchOptions(batchSize, true, false, 0L, 2, 4);
    }

    /** These options with another seed. */
    public BatchOptions withSeed(long newSeed) {
        return new BatchOptions(batchSize, shuffle, dropLast, newSeed, workers, prefetch);
    }

    /** These options with shuffling on or off. */
    public BatchOptions withShuffle(boolean on) {
        return new BatchOptions(batchSize, on, dropLast, seed, workers, prefetch);
    }

    /** These options dropping (or keeping) a last partial batch. */
    public BatchOptions withDropLast(boolean drop) {
        return new BatchOptions(batchSize, shuffle, drop, seed, workers, prefetch);
    }

    /** These options with another number of worker threads. */
    public BatchOptions withWorkers(int count) {
        return new BatchOptions(batchSize, shuffle, dropLast, seed, count, prefetch);
    }

    /** These options preparing another number of batches ahead. */
    public BatchOptions withPrefetch(int batches) {
        return new BatchOptions(batchSize, shuffle, dropLast, seed, workers, batches);
    }
}
