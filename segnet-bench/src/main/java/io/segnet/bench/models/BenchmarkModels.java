package io.segnet.bench.models;

import io.segnet.models.LossConfig;
import io.segnet.models.Upsampling;
import io.segnet.models.deeplab.DeepLabV3PlusConfig;
import io.segnet.models.encoder.ResNetConfig;
import io.segnet.models.encoder.Vgg16Config;
import io.segnet.models.fcn.FcnConfig;
import io.segnet.models.fcn.FcnVariant;
import io.segnet.models.unet.UNetConfig;

import java.util.List;

/**
 * The models of the benchmark's cases, as segnet configs equal to the PyTorch modules of
 * {@code ../shared/bench/torch_reference.py} (same layers, same parameter counts).
 */
public final class BenchmarkModels {
    private BenchmarkModels() {
    }

    /**
     * M1 / I2: U-Net with base width 16, two poolings, double conv-BN-ReLU blocks, 2x2 stride-2 transposed
     * convolutions, concatenated skips, 1 -> 11 classes, 64x84 input.
     */
    public static UNetConfig unetM1() {
        return UNetConfig.classic(1, 11, 64, 84, 16, 2);
    }

    /**
     * M2: DeepLabv3+ on ResNet-18 at output stride 16 (layer4 dilated 2 in every block, as the reference), ASPP with
     * 128 channels and rates 6/12/18, 48-channel low-level projection, 128-channel decoder, 3 -> 21 classes, 256x256.
     */
    public static DeepLabV3PlusConfig deeplabM2() {
        return new DeepLabV3PlusConfig(3, 21, 256, 256, new ResNetConfig(18, 16, 64, ResNetConfig.Dilation.UNIFORM),
                128, List.of(6, 12, 18), false, 48, 128, LossConfig.crossEntropy());
    }

    /**
     * I1: FCN-8s on VGG16 with fc6/fc7 replaced by a 3x3 and a 1x1 convolution of 1024 channels, bilinear-resize
     * upsampling, 21 classes, 256x256.
     */
    public static FcnConfig fcnI1() {
        return new FcnConfig(3, 21, 256, 256, Vgg16Config.standard(), FcnVariant.FCN_8S, Upsampling.BILINEAR, 1024, 3,
                1024, LossConfig.crossEntropy());
    }
}
