package io.segnet.models;

import io.segnet.models.deeplab.DeepLabV3PlusConfig;
import io.segnet.models.encoder.EncoderConfig;
import io.segnet.models.encoder.ResNetConfig;
import io.segnet.models.encoder.SmallEncoderConfig;
import io.segnet.models.encoder.Vgg16Config;
import io.segnet.models.fcn.FcnConfig;
import io.segnet.models.fcn.FcnVariant;
import io.segnet.models.pspnet.PSPNetConfig;
import io.segnet.models.segnet.SegNetConfig;
import io.segnet.models.unet.UNetConfig;
import io.segnet.models.unetplusplus.UNetPlusPlusConfig;

import java.util.List;

/**
 * Narrow encoders and one small config per architecture, for tests that run every architecture quickly
 * ({@code ArchitectureShapesTest}, and segnet-onnx's export test through the test jar). Vary them with the configs'
 * {@code with...} methods.
 */
public final class SmallArchitectures {
    public static final EncoderConfig SMALL = new SmallEncoderConfig(4, 3, true);
    public static final EncoderConfig SMALL5 = new SmallEncoderConfig(2, 5, false);
    public static final EncoderConfig VGG = new Vgg16Config(4, false);
    public static final EncoderConfig VGG_BN = new Vgg16Config(4, true);
    public static final ResNetConfig R18 = new ResNetConfig(18, 32, 8, ResNetConfig.Dilation.TORCHVISION);
    public static final ResNetConfig R34_OS16 = new ResNetConfig(34, 16, 4, ResNetConfig.Dilation.UNIFORM);
    public static final ResNetConfig R50_OS8 = new ResNetConfig(50, 8, 4, ResNetConfig.Dilation.TORCHVISION);
    public static final ResNetConfig R18_OS16 = new ResNetConfig(18, 16, 8, ResNetConfig.Dilation.TORCHVISION);

    private SmallArchitectures() {
    }

    /** Classic U-Net, base width 4, three poolings, 1 -> 3 classes, built at 32x40. */
    public static UNetConfig unet() {
        return UNetConfig.classic(1, 3, 32, 40, 4, 3);
    }

    /** UNet++ (paper layout, deep supervision), base width 4, three poolings, 2 -> 4 classes, built at 32x48. */
    public static UNetPlusPlusConfig unetPlusPlus() {
        return UNetPlusPlusConfig.of(2, 4, 32, 48, 4, 3);
    }

    /** FCN-8s on the narrow VGG16, transposed upsampling, 3 -> 5 classes, built at 64x96. */
    public static FcnConfig fcn() {
        return new FcnConfig(3, 5, 64, 96, VGG, FcnVariant.FCN_8S, Upsampling.TRANSPOSED, 16, 3, 16,
                LossConfig.crossEntropy());
    }

    /** SegNet on the narrow VGG16-BN, 3 -> 4 classes, built at 64x64. */
    public static SegNetConfig segNet() {
        return new SegNetConfig(3, 4, 64, 64, VGG_BN, true, LossConfig.crossEntropy());
    }

    /** PSPNet on ResNet-50 OS8 (width 4), bins 1/2/3/6, auxiliary head, 3 -> 5 classes, built at 64x64. */
    public static PSPNetConfig pspNet() {
        return new PSPNetConfig(3, 5, 64, 64, R50_OS8, List.of(1, 2, 3, 6), 0, 16, true, 8, 0.4,
                LossConfig.crossEntropy());
    }

    /** DeepLabv3+ on ResNet-18 OS16 (width 8), ASPP 16 channels, 3 -> 6 classes, built at 64x64. */
    public static DeepLabV3PlusConfig deepLab() {
        return new DeepLabV3PlusConfig(3, 6, 64, 64, R18_OS16, 16, List.of(), false, 8, 16,
                LossConfig.crossEntropy());
    }
}
