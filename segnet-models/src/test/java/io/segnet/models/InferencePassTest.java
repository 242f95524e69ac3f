package io.segnet.models;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link SegmentationModel#logits} runs the graph with {@code io.segnet.core.runtime.GraphInference} (activations
 * freed as soon as they are dead, buffers reused between calls): on every architecture, trained or folded, at two
 * sizes in turn, its logits equal DL4J's {@code output()} bit for bit, and an earlier call's logits stay as they were.
 */
class InferencePassTest {

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("U-Net", SmallArchitectures.unet()),
                Arguments.of("UNet++ deep supervision", SmallArchitectures.unetPlusPlus()),
                Arguments.of("FCN-8s", SmallArchitectures.fcn()),
                Arguments.of("SegNet", SmallArchitectures.segNet()),
                Arguments.of("PSPNet with auxiliary head", SmallArchitectures.pspNet()),
                Arguments.of("DeepLabv3+", SmallArchitectures.deepLab()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void logitsEqualDl4jOutputAcrossCallsAndSizes(String name, ModelConfig config) {
        SegmentationModel model = SegmentationModels.create(config);
        for (SegmentationModel m : new SegmentationModel[]{model, model.foldedForInference()}) {
            INDArray a = TestData.images(1, 2, config.inChannels(), config.inputHeight(), config.inputWidth());
            INDArray b = TestData.images(2, 1, config.inChannels(), config.inputHeight() + 32,
                    config.inputWidth() + 32);
            INDArray expectedA = dl4jLogits(m, a);
            INDArray expectedB = dl4jLogits(m, b);
            INDArray firstA = m.logits(a);
            assertEquals(expectedA, firstA, name);
            assertEquals(expectedB, m.logits(b), name);
            assertEquals(expectedA, m.logits(a), name);
            assertEquals(expectedA, m.logits(a), name);
            assertEquals(expectedA, firstA, name + ": an earlier call's logits are not reused");
        }
    }

    /** The logits as DL4J's own output() computes them (the mean of several logit outputs, as logits() takes it). */
    private static INDArray dl4jLogits(SegmentationModel m, INDArray x) {
        INDArray[] out = m.graph().output(m.logitOutputs(), false, new INDArray[]{x}, null);
        INDArray sum = out[0].dup();
        for (int i = 1; i < out.length; i++) {
            sum.addi(out[i]);
        }
        return out.length == 1 ? sum : sum.divi(out.length);
    }
}
