/**
 * DeepLabv3+ (Chen, Zhu, Papandreou, Schroff and Adam 2018): a dilated encoder, atrous spatial pyramid pooling (ASPP)
 * with an image-pooling branch, and a decoder that fuses the upsampled ASPP output with a 48-channel projection of
 * the stride-4 features; optionally with depthwise-separable convolutions.
 */
package io.segnet.models.deeplab;
