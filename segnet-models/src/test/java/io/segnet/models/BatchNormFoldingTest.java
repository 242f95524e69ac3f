package io.segnet.models;

import io.segnet.core.layers.BatchNorm;
import io.segnet.models.deeplab.DeepLabV3PlusConfig;
import io.segnet.models.pspnet.PSPNetConfig;
import io.segnet.models.unet.UNetConfig;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model folded for inference gives the logits of the model it came from (batch norms with random statistics, so a
 * wrong formula shows), on every architecture with batch norm, including separable and transposed convolutions, and
 * cannot be trained or saved.
 */
class BatchNormFoldingTest {

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("U-Net small transposed", SmallArchitectures.unet(), 32, 40),
                Arguments.of("U-Net ResNet-18 smp", UNetConfig.smp(3, 3, 64, 64, SmallArchitectures.R18), 64, 32),
                Arguments.of("UNet++ small", SmallArchitectures.unetPlusPlus(), 32, 48),
                Arguments.of("SegNet VGG16-BN", SmallArchitectures.segNet(), 67, 45),
                Arguments.of("PSPNet ResNet-50 OS8", SmallArchitectures.pspNet(), 65, 49),
                Arguments.of("DeepLabv3+ ResNet-50 OS8 separable", SmallArchitectures.deepLab()
                        .withEncoder(SmallArchitectures.R50_OS8).withSeparable(true), 41, 39),
                Arguments.of("DeepLabv3+ smp", DeepLabV3PlusConfig.smp(3, 4, 64, 64, SmallArchitectures.R34_OS16),
                        50, 45),
                Arguments.of("torchvision FCN", PSPNetConfig.torchvisionFcn(3, 3, 32, 32, SmallArchitectures.R50_OS8),
                        41, 35));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void foldedModelGivesTheSameLogits(String name, ModelConfig config, int h, int w) {
        SegmentationModel model = SegmentationModels.create(config);
        randomiseBatchNorms(model, 5);
        SegmentationModel folded = model.foldedForInference();
        long batchNorms = model.graph().getConfiguration().getVertices().values().stream()
                .filter(v -> v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BatchNorm).count();
        assertTrue(folded.foldedBatchNorms().size() > 0 && folded.foldedBatchNorms().size() <= batchNorms, name);
        assertEquals(batchNorms - folded.foldedBatchNorms().size(), folded.graph().getConfiguration().getVertices()
                .values().stream().filter(v -> v instanceof LayerVertex lv
                        && lv.getLayerConf().getLayer() instanceof BatchNorm).count(), name + ": the rest remain");
        INDArray x = TestData.images(3, 2, config.inChannels(), h, w);
        INDArray expected = model.logits(x);
        INDArray actual = folded.logits(x);
        double range = expected.maxNumber().doubleValue() - expected.minNumber().doubleValue();
        double err = Nd4j.math().abs(expected.sub(actual)).maxNumber().doubleValue();
        assertTrue(err <= 1e-5 * range, name + ": max abs difference " + err + " of a logit range " + range);
        assertEquals(model.parameterCount(), folded.parameterCount(), "the summary describes the trained architecture");
        INDArray again = model.logits(x);
        assertEquals(expected, again, "folding leaves the source model untouched");
    }

    @Test
    void foldedModelRefusesTrainingAndSaving(@TempDir Path dir) {
        SegmentationModel folded = SegmentationModels.create(SmallArchitectures.unet()).foldedForInference();
        assertTrue(folded.isFoldedForInference());
        assertSame(folded, folded.foldedForInference());
        INDArray x = TestData.images(1, 1, 1, 32, 40);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 1, 1, 32, 40);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> folded.fit(x, y));
        assertTrue(e.getMessage().contains("load the model file again"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> folded.save(dir.resolve("m.zip")));
        assertThrows(IllegalStateException.class, () -> folded.saveForInference(dir.resolve("m.zip"), false,
                java.util.Map.of()));
    }

    @Test
    void modelWithoutBatchNormIsReturnedAsItIs() {
        SegmentationModel fcn = SegmentationModels.create(SmallArchitectures.fcn());
        assertSame(fcn, fcn.foldedForInference());
        BatchNormFolding.Result r = BatchNormFolding.fold(fcn.graph());
        assertSame(fcn.graph(), r.graph(), "no copy of the parameters is built when there is nothing to fold");
        assertEquals(0, r.folded());
    }

    static void randomiseBatchNorms(SegmentationModel model, long seed) {
        Random rnd = new Random(seed);
        model.graph().getConfiguration().getVertices().forEach((name, v) -> {
            if (v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BatchNorm) {
                var layer = model.graph().getLayer(name);
                for (String k : new String[]{"gamma", "beta", "runningMean", "runningVar"}) {
                    INDArray p = layer.getParam(k);
                    for (long i = 0; i < p.length(); i++) {
                        double lo = k.equals("gamma") || k.equals("runningVar") ? 0.5 : -0.2;
                        double hi = k.equals("gamma") ? 1.5 : k.equals("runningVar") ? 2.0 : 0.2;
                        p.putScalar(i, lo + (hi - lo) * rnd.nextDouble());
                    }
                }
            }
        });
    }
}
