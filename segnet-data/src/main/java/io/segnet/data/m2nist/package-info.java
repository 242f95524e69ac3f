/**
 * M2NIST: 64x84 grayscale images with 1 to 3 non-overlapping MNIST digits, segmented into 11 classes
 * (digit k is class k, background is class 10). {@link io.segnet.data.m2nist.M2nistGenerator} generates any
 * number of images from a seed, using the MNIST test set bundled in this jar ({@link
 * io.segnet.data.m2nist.MnistDigits}); {@link io.segnet.data.m2nist.M2nistFiles} reads the original
 * {@code combined.npy}/{@code segmented.npy} files; {@link io.segnet.data.m2nist.M2nistQuickstartData} holds the
 * quickstart's image counts, seed and normalisation.
 */
package io.segnet.data.m2nist;
