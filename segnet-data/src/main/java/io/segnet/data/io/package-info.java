/**
 * Decoding files: images ({@link io.segnet.data.io.ImageFiles}, floats in {@code [0,1]}, CHW), masks
 * ({@link io.segnet.data.io.MaskFiles} with a {@link io.segnet.data.io.MaskFormat}: index, palette,
 * 16-bit, value maps, reduce_zero_label, RGB through a {@link io.segnet.data.io.ColorTable}) and NumPy
 * {@code .npy} arrays ({@link io.segnet.data.io.NpyReader}).
 *
 * <p>Every failure is a {@link io.segnet.data.DataException} that names the file, the problem and a fix.
 * Nothing here writes to a file it reads.
 */
package io.segnet.data.io;
