/**
 * Benchmark of segnet-metrics: {@link io.segnet.bench.metrics.ConfusionMatrixBenchmark} times the confusion matrix's
 * and the evaluator's updates on 512 x 512 maps.
 */
package io.segnet.bench.metrics;
