/**
 * Benchmarks of segnet's layers against {@code shared/bench/torch_reference.py}'s cases L1-L8, run inside a
 * {@code ComputationGraph} as training would run them ({@link io.segnet.bench.layers.LayerBenchmark}).
 */
package io.segnet.bench.layers;
