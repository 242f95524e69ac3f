/**
 * Benchmarks: {@link io.segnet.data.bench.PipelineBenchmark} prints the pipeline's own throughput (images
 * per second) on the membrane set with augmentation.
 */
package io.segnet.data.bench;
