/**
 * Semantic segmentation models on segnet-core's layers: {@link io.segnet.models.SegmentationModel} (a DL4J
 * {@code ComputationGraph} with its config and model card: logits, class maps, training steps, save/load, summary),
 * the {@link io.segnet.models.ModelConfig} records every architecture is described by (validated, Jackson-serialised
 * under a {@code type} tag; {@link io.segnet.models.ArchitectureTypes} registers the tags) and
 * {@link io.segnet.models.SegmentationModels}, which creates models from a config or by name. Package {@code io}
 * writes and reads the model zip.
 *
 * <p>Architectures live in one package each ({@code fcn}, {@code unet}, {@code unetplusplus}, {@code segnet},
 * {@code pspnet}, {@code deeplab}); every one is an encoder (package {@code encoder}) that yields feature maps with
 * their channels and strides, a decoder sized from those channels, and a head whose logits feed a
 * {@code SegmentationLoss} output (the loss owns the softmax). Tensors are NCHW throughout: images
 * {@code [N, inChannels, H, W]}, logits {@code [N, numClasses, H, W]}, labels and class maps {@code [N, 1, H, W]}.
 */
package io.segnet.models;
