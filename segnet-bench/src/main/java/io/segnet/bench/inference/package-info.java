/**
 * Measurements of inference time and of what post-processing buys on held-out images: the DenseCRF
 * ({@code CrfEffect}, {@code DenseCrfBenchmark}), averaging models and sub-pixel shifts ({@code ModelAverage}),
 * ONNX Runtime against segnet ({@code OnnxRuntimeBenchmark}).
 */
package io.segnet.bench.inference;
