package io.segnet.models;

import io.segnet.models.deeplab.DeepLabV3PlusConfig;
import io.segnet.models.encoder.ResNetConfig;
import io.segnet.models.encoder.SmallEncoderConfig;
import io.segnet.models.encoder.Vgg16Config;
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
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every architecture learns: on a small synthetic batch of digit-like strokes (see {@link TestData}), the training
 * loss after a few Adam steps is well below the first step's.
 */
class TrainingTest {
    private static final int STEPS = 10;
    private static final ResNetConfig SMP_R18 = new ResNetConfig(18, 32, 4, ResNetConfig.Dilation.TORCHVISION);

    static Stream<Arguments> configs() {
        LossConfig ce = LossConfig.crossEntropy();
        return Stream.of(
                Arguments.of("U-Net", UNetConfig.classic(1, 4, 32, 32, 4, 2)),
                Arguments.of("UNet++ (deep supervision)", UNetPlusPlusConfig.of(1, 4, 32, 32, 4, 2)),
                Arguments.of("FCN-8s", new FcnConfig(1, 4, 32, 32, new Vgg16Config(4, true), FcnVariant.FCN_8S,
                        Upsampling.TRANSPOSED, 16, 3, 16, ce)),
                Arguments.of("SegNet", new SegNetConfig(1, 4, 32, 32, new SmallEncoderConfig(4, 2, true), true, ce)),
                Arguments.of("PSPNet (auxiliary head)", new PSPNetConfig(1, 4, 32, 32,
                        new ResNetConfig(18, 8, 4, ResNetConfig.Dilation.TORCHVISION), List.of(1, 2, 3, 6), 0, 16,
                        true, 8, 0.4, ce)),
                Arguments.of("DeepLabv3+", new DeepLabV3PlusConfig(1, 4, 32, 32,
                        new ResNetConfig(18, 16, 4, ResNetConfig.Dilation.TORCHVISION), 16, List.of(), true, 8, 16,
                        ce)),
                Arguments.of("U-Net, 1 class (binary cross-entropy)", UNetConfig.classic(1, 1, 32, 32, 4, 2)),
                Arguments.of("smp's Unet (nearest upsampling, 3x3 head)", UNetConfig.smp(1, 4, 32, 32, SMP_R18)),
                Arguments.of("smp's UnetPlusPlus", UNetPlusPlusConfig.smp(1, 4, 32, 32, SMP_R18)),
                Arguments.of("smp's PSPNet", PSPNetConfig.smp(1, 4, 32, 32, SMP_R18)),
                Arguments.of("smp's DeepLabV3Plus", DeepLabV3PlusConfig.smp(1, 4, 32, 32,
                        new ResNetConfig(18, 16, 4, ResNetConfig.Dilation.UNIFORM))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void lossFallsOverAFewAdamSteps(String name, ModelConfig config) {
        SegmentationModel model = SegmentationModels.create(config, Training.adam(1e-2));
        INDArray[] batch = TestData.batch(5, 4, config.inChannels(), config.inputHeight(), config.inputWidth(),
                config.numClasses());
        double first = model.fit(batch[0], batch[1]);
        double last = first;
        for (int i = 1; i < STEPS; i++) {
            last = model.fit(batch[0], batch[1]);
            assertTrue(Double.isFinite(last), name + ": loss became " + last + " at step " + i);
        }
        assertTrue(last < 0.8 * first, name + ": loss went from " + first + " to " + last + " in " + STEPS + " steps");
    }

    @Test
    void auxiliaryAndDeepSupervisionOutputsAllGetLabels() {
        PSPNetConfig psp = new PSPNetConfig(1, 3, 32, 32, new ResNetConfig(18, 8, 4, null), List.of(1, 2), 0, 8, true,
                4, 0.4, LossConfig.crossEntropy());
        SegmentationModel model = SegmentationModels.create(psp);
        assertEquals(List.of("head.loss", "aux.loss"), model.outputs());
        assertEquals(List.of("head.loss"), model.logitOutputs());
        INDArray[] batch = TestData.batch(1, 2, 1, 32, 32, 3);
        assertEquals(2, model.dataSet(batch[0], batch[1]).getLabels().length);

        SegmentationModel unetpp = SegmentationModels.create(UNetPlusPlusConfig.of(1, 3, 32, 32, 4, 3));
        assertEquals(List.of("head1.loss", "head2.loss", "head3.loss"), unetpp.logitOutputs());
    }
}
