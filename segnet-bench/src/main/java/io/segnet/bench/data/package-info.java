/**
 * Benchmark of segnet-data: {@link io.segnet.bench.data.PipelineBenchmark} prints the pipeline's own throughput
 * (images per second) on the membrane set with augmentation.
 */
package io.segnet.bench.data;
