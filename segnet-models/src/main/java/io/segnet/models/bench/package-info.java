/**
 * Benchmarks of whole models against the PyTorch reference ({@code ../shared/bench/torch_reference.py}): the configs
 * of its model cases ({@link io.segnet.models.bench.BenchmarkModels}) and the timing main class
 * {@link io.segnet.models.bench.ModelBenchmark}.
 */
package io.segnet.models.bench;
