/**
 * Encoders: the backbones that turn an image into feature maps at increasing strides, each described by a config
 * record ({@code "vgg16"}, {@code "resnet"}, {@code "small"}) and returning {@link io.segnet.models.encoder.FeatureMap}s
 * (vertex, channels, stride) that decoders are sized from, as in segmentation_models_pytorch's
 * {@code encoder.out_channels}. Any number of input channels is accepted (1 for grayscale).
 */
package io.segnet.models.encoder;
