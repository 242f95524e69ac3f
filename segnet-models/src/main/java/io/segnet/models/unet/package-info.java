/**
 * U-Net (Ronneberger, Fischer and Brox 2015): an encoder, then a decoder that at every level upsamples (learned
 * transposed convolution or bilinear resize), concatenates the encoder's map of that level and applies a double
 * convolution, and a 1x1 classifier at full resolution.
 */
package io.segnet.models.unet;
