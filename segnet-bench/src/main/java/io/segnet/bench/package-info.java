/**
 * segnet-bench: every benchmark of segnet and the memory soak, outside the library modules. This package holds the one
 * timing harness they share ({@link io.segnet.bench.Timings} measured as a {@link io.segnet.bench.TimingPlan} says,
 * with the JSON result line that {@code shared/bench/compare.py} reads); the sub-packages hold:
 * <ul>
 *   <li>{@code layers}: the layer cases L1-L8 of {@code shared/bench/torch_reference.py} and the kernel benchmarks
 *       (atrous convolution, batch norm: segnet's Java kernels against oneDNN);</li>
 *   <li>{@code models}: the model cases M1, M2, I1, I2 and their configs;</li>
 *   <li>{@code data}: the data pipeline's throughput;</li>
 *   <li>{@code metrics}: the confusion matrix's update;</li>
 *   <li>{@code soak}: resident memory over thousands of training steps ({@code segnet soak}).</li>
 * </ul>
 * {@code segnet benchmark} runs the reference cases; every benchmark is also a main class, e.g.
 * {@code java -cp segnet-cli/target/segnet.jar io.segnet.bench.layers.AtrousBenchmark}.
 */
package io.segnet.bench;
