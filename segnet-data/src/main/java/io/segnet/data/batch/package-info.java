/**
 * Batches for training: {@link io.segnet.data.batch.SegmentationBatchIterator}, a DL4J
 * {@code DataSetIterator} that prepares {@code [N,C,H,W]} image and {@code [N,1,H,W]} class-map batches on
 * background threads, deterministically from a seed, configured by {@link io.segnet.data.batch.BatchOptions}.
 */
package io.segnet.data.batch;
