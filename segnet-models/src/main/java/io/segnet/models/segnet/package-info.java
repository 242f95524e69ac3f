/**
 * SegNet (Badrinarayanan, Kendall and Cipolla 2017): an encoder that downsamples only by max pooling and a decoder that
 * mirrors it, unpooling through the encoder's own pooling indices (no learned upsampling, no skip concatenation).
 */
package io.segnet.models.segnet;
