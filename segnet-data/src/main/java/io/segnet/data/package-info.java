/**
 * segnet-data: getting segmentation data into training, with every mistake reported clearly.
 *
 * <p>The shared vocabulary lives here: {@link io.segnet.data.Sample} (a float image {@code [C,H,W]}
 * and an integer class map {@code [H,W]} with an ignore value), {@link io.segnet.data.SampleSource}
 * (an indexed collection of samples), {@link io.segnet.data.Rng} (the seeded generator behind every
 * random choice) and {@link io.segnet.data.DataException} / {@link io.segnet.data.DataProblem}
 * (file, problem, what to do). The subpackages hold:
 * <ul>
 *   <li>{@code io}: decoding images and masks (index, palette, 16-bit, RGB with a colour table), NPY files;</li>
 *   <li>{@code dataset}: folder data sets matched by file stem, splits, validation, the membrane set;</li>
 *   <li>{@code source}: a training run's data as typed settings ({@code type: m2nist|membrane|folder});</li>
 *   <li>{@code transform}: seeded augmentation applied identically to image and mask;</li>
 *   <li>{@code batch}: a prefetching DL4J {@code DataSetIterator} producing {@code [N,C,H,W]} images and
 *       {@code [N,1,H,W]} class maps;</li>
 *   <li>{@code m2nist}: the M2NIST generator and a reader for the original files.</li>
 * </ul>
 * The pipeline's throughput benchmark lives in segnet-bench ({@code io.segnet.bench.data}).
 */
package io.segnet.data;
