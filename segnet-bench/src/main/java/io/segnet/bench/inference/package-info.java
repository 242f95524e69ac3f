/** Benchmarks of post-processing at inference time (DenseCRF). */
package io.segnet.bench.inference;
