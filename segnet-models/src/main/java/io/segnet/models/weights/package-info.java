/**
 * Pretrained weights from PyTorch: a pure-Java reader for {@code torch.save} checkpoints (the zip format and the
 * legacy pre-1.6 format, through a restricted unpickler that runs no callables but tensor rebuilding and collection
 * constructors) and safetensors files ({@link io.segnet.models.weights.StateDict#read}); the import of
 * torchvision-layout state_dicts (ResNet-18/34/50, VGG16, VGG16-BN) into segnet's encoders
 * ({@link io.segnet.models.weights.EncoderWeights}); and the import of whole segmentation_models_pytorch models
 * (Unet, UnetPlusPlus, PSPNet, DeepLabV3Plus on ResNet encoders, {@link io.segnet.models.weights.SmpWeights}) into
 * segnet's smp presets; each with a report of the keys used, dropped, missing and unexpected
 * ({@link io.segnet.models.weights.ImportReport}).
 */
package io.segnet.models.weights;
