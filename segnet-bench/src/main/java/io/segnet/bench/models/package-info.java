/**
 * Benchmarks of whole models against the PyTorch reference ({@code ../shared/bench/torch_reference.py}): the configs
 * of its model cases ({@link io.segnet.bench.models.BenchmarkModels}) and the timing main class
 * {@link io.segnet.bench.models.ModelBenchmark}.
 */
package io.segnet.bench.models;
