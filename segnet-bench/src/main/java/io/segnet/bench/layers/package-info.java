/**
 * Benchmarks of segnet's layers: {@link io.segnet.bench.layers.LayerBenchmark} runs
 * {@code shared/bench/torch_reference.py}'s cases L1-L8 inside a {@code ComputationGraph} as training would run them,
 * ending in {@link io.segnet.bench.layers.SumLoss}; {@link io.segnet.bench.layers.AtrousBenchmark} and
 * {@link io.segnet.bench.layers.BatchNormBenchmark} time segnet's Java kernels against their oneDNN counterparts.
 */
package io.segnet.bench.layers;
