/**
 * Fully convolutional networks (Long, Shelhamer and Darrell 2015): an encoder whose classifier layers became
 * convolutions ({@code fc6}, {@code fc7}), class scores at stride 32, and for FCN-16s and FCN-8s score layers on
 * pool4 and pool3 fused by upsampling and summation; the last fused map is upsampled to the input size.
 */
package io.segnet.models.fcn;
