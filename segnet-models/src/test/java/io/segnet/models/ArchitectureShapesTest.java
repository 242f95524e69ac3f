package io.segnet.models;

import io.segnet.models.deeplab.DeepLabV3PlusConfig;
import io.segnet.models.fcn.FcnConfig;
import io.segnet.models.fcn.FcnVariant;
import io.segnet.models.pspnet.PSPNetConfig;
import io.segnet.models.segnet.SegNetConfig;
import io.segnet.models.unet.UNetConfig;
import io.segnet.models.unetplusplus.UNetPlusPlusConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.segnet.models.SmallArchitectures.R18;
import static io.segnet.models.SmallArchitectures.R18_OS16;
import static io.segnet.models.SmallArchitectures.R34_OS16;
import static io.segnet.models.SmallArchitectures.R50_OS8;
import static io.segnet.models.SmallArchitectures.SMALL;
import static io.segnet.models.SmallArchitectures.SMALL5;
import static io.segnet.models.SmallArchitectures.VGG;
import static io.segnet.models.SmallArchitectures.VGG_BN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every architecture on every encoder it accepts gives logits {@code (N, classes, H, W)} and class maps
 * {@code (N, 1, H, W)}, at an even size and at an odd one (with the upsampling mode that accepts odd sizes where the
 * transposed-convolution mode needs multiples of the output stride). Small widths keep this fast.
 */
class ArchitectureShapesTest {

    static Stream<Arguments> configs() {
        UNetConfig unet = SmallArchitectures.unet();
        UNetPlusPlusConfig unetpp = SmallArchitectures.unetPlusPlus();
        FcnConfig fcn = SmallArchitectures.fcn();
        SegNetConfig segnet = SmallArchitectures.segNet();
        PSPNetConfig psp = SmallArchitectures.pspNet();
        DeepLabV3PlusConfig deeplab = SmallArchitectures.deepLab();
        return Stream.of(
                Arguments.of("U-Net small transposed", unet, 64, 48),
                Arguments.of("U-Net small bilinear, odd", unet.withUpsampling(Upsampling.BILINEAR), 35, 29),
                Arguments.of("U-Net VGG16", unet.withInputSize(64, 32).withEncoder(VGG), 64, 96),
                Arguments.of("U-Net VGG16 bilinear, odd", unet.withUpsampling(Upsampling.BILINEAR).withInputSize(33, 47)
                        .withEncoder(VGG), 33, 47),
                Arguments.of("U-Net ResNet-18", unet.withInputSize(64, 64).withEncoder(R18), 64, 32),
                Arguments.of("U-Net ResNet-34 OS16 bilinear, odd", unet.withUpsampling(Upsampling.BILINEAR)
                        .withInputSize(33, 35).withEncoder(R34_OS16), 33, 35),
                Arguments.of("U-Net ResNet-50 OS8", unet.withInputSize(32, 32).withEncoder(R50_OS8), 40, 32),
                Arguments.of("UNet++ small", unetpp, 32, 48),
                Arguments.of("UNet++ small bilinear, odd", unetpp.withUpsampling(Upsampling.BILINEAR), 37, 30),
                Arguments.of("UNet++ pruned to 2", unetpp.withInferenceDepth(2), 32, 40),
                Arguments.of("UNet++ VGG16 bilinear, odd", unetpp.withUpsampling(Upsampling.BILINEAR).withInputSize(35, 33)
                        .withEncoder(VGG), 35, 33),
                Arguments.of("UNet++ ResNet-18", unetpp.withInputSize(64, 64).withEncoder(R18), 64, 32),
                Arguments.of("FCN-8s VGG16 transposed", fcn, 64, 96),
                Arguments.of("FCN-8s VGG16 bilinear, odd", fcn.withUpsampling(Upsampling.BILINEAR), 45, 71),
                Arguments.of("FCN-16s VGG16 transposed", fcn.withVariant(FcnVariant.FCN_16S), 32, 64),
                Arguments.of("FCN-32s VGG16 bilinear, odd", fcn.withVariant(FcnVariant.FCN_32S)
                        .withUpsampling(Upsampling.BILINEAR), 33, 39),
                Arguments.of("FCN-8s ResNet-18 bilinear, odd", fcn.withEncoder(R18).withUpsampling(Upsampling.BILINEAR),
                        37, 41),
                Arguments.of("FCN-8s small encoder", fcn.withEncoder(SMALL5), 32, 64),
                Arguments.of("FCN-32s ResNet-34 OS16 transposed", fcn.withVariant(FcnVariant.FCN_32S)
                        .withEncoder(R34_OS16).withInputSize(32, 32), 48, 32),
                Arguments.of("SegNet VGG16-BN", segnet, 64, 64),
                Arguments.of("SegNet VGG16-BN, odd", segnet, 67, 45),
                Arguments.of("SegNet small, odd", segnet.withEncoder(SMALL), 35, 37),
                Arguments.of("PSPNet ResNet-50 OS8, odd", psp, 65, 49),
                Arguments.of("PSPNet ResNet-18 OS16", psp.withEncoder(R18_OS16), 64, 48),
                Arguments.of("PSPNet VGG16, odd", psp.withEncoder(VGG), 33, 35),
                Arguments.of("PSPNet small", psp.withInputSize(32, 32).withEncoder(SMALL), 32, 24),
                Arguments.of("DeepLabv3+ ResNet-18 OS16", deeplab, 64, 64),
                Arguments.of("DeepLabv3+ ResNet-18 OS16, odd", deeplab, 57, 61),
                Arguments.of("DeepLabv3+ ResNet-50 OS8 separable, odd", deeplab.withEncoder(R50_OS8)
                        .withSeparable(true), 41, 39),
                Arguments.of("DeepLabv3+ ResNet-34 OS16 separable", deeplab.withEncoder(R34_OS16)
                        .withSeparable(true), 48, 64),
                Arguments.of("DeepLabv3+ small encoder", new DeepLabV3PlusConfig(1, 2, 32, 32, SMALL, 8,
                        List.of(1, 2), false, 4, 8, LossConfig.crossEntropy()), 35, 36),
                Arguments.of("DeepLabv3+ VGG16", new DeepLabV3PlusConfig(3, 3, 64, 64, VGG, 8, List.of(1, 2, 3),
                        false, 4, 8, LossConfig.crossEntropy()), 64, 64));
    }

    @ParameterizedTest(name = "{0} at {2}x{3}")
    @MethodSource("configs")
    void logitsAndClassMapsHaveTheInputSize(String name, ModelConfig config, int h, int w) {
        assertTrue(config.inputSizeRule().accepts(h, w), name + ": the test size must be accepted");
        SegmentationModel model = SegmentationModels.create(config);
        INDArray x = TestData.images(1, 2, config.inChannels(), h, w);
        INDArray logits = model.logits(x);
        assertArrayEquals(new long[]{2, config.numClasses(), h, w}, logits.shape(), name);
        assertFalse(logits.isNaN().any() || logits.isInfinite().any(), name + ": finite logits");
        INDArray classes = model.predict(x);
        assertArrayEquals(new long[]{2, 1, h, w}, classes.shape(), name);
        assertEquals(DataType.INT32, classes.dataType());
        assertTrue(classes.minNumber().intValue() >= 0 && classes.maxNumber().intValue() < config.numClasses(), name);
    }

    @Test
    void segNetSummaryAtAnOddBuildSizeHasTheRealShapes() {
        // 67x45 pools to 33x22, 16x11, 8x5, 4x2, 2x1: every unpooling must restore the size its pooling received,
        // not twice its input.
        SegNetConfig config = new SegNetConfig(3, 4, 67, 45, VGG_BN, true, LossConfig.crossEntropy());
        ModelSummary summary = SegmentationModels.create(config).summary();
        Map<String, List<Long>> sizes = new HashMap<>();
        summary.rows().forEach(r -> sizes.put(r.name(), r.shape().subList(1, 3)));
        assertEquals(List.of(67L, 45L), sizes.get("decoder.stage0.unpool"));
        assertEquals(List.of(33L, 22L), sizes.get("decoder.stage1.unpool"));
        assertEquals(List.of(4L, 2L), sizes.get("decoder.stage4.unpool"));
        assertEquals(List.of(4L, 67L, 45L), summary.rows().stream().filter(r -> r.name().equals("head.classifier"))
                .findFirst().orElseThrow().shape());
    }
}
