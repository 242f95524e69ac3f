package io.segnet.models.weights;

import io.segnet.models.ModelConfig;
import io.segnet.models.SegmentationModel;
import io.segnet.models.SegmentationModels;
import io.segnet.models.deeplab.DeepLabV3PlusConfig;
import io.segnet.models.encoder.ResNetConfig;
import io.segnet.models.pspnet.PSPNetConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * torchvision's {@code fcn_resnet50} and {@code deeplabv3_resnet50} (torchvision's own FCN, FCNHead, DeepLabV3 and
 * ASPP modules on a narrow ResNet-50, written by src/test/python/make_model_goldens.py; the DeepLabV3 file in the
 * legacy pre-1.6 format) import into segnet's PSPNet without pyramid and DeepLabv3+ without decoder and give
 * torchvision's {@code "out"} logits to 1e-4 of their largest magnitude.
 */
class TorchvisionSegmentationWeightsTest {
    private static final double REL = 1e-4;
    private static StateDict expected;
    private static INDArray input;

    @BeforeAll
    static void readExpected() throws IOException {
        expected = Goldens.read("expected_models.safetensors");
        input = expected.get("input_large").toINDArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tv_fcn_r50", "tv_deeplabv3_r50_legacy"})
    void aTorchvisionSegmentationModelGivesTorchvisionsLogits(String name) throws IOException {
        StateDict weights = Goldens.read(name + ".pth");
        assertTrue(TorchvisionSegmentationWeights.recognises(weights.tensors().keySet()));
        ModelConfig config = TorchvisionSegmentationWeights.config(weights, 96, 128);
        ResNetConfig encoder = (ResNetConfig) io.segnet.models.weights.EncoderWeights.encoderOf(config);
        assertEquals(50, encoder.depth());
        assertEquals(8, encoder.outputStride(), "torchvision dilates layer3 and layer4");
        assertEquals(4, config.numClasses());
        if (name.startsWith("tv_fcn")) {
            assertEquals(TorchvisionSegmentationWeights.Kind.FCN, TorchvisionSegmentationWeights.detect(weights));
            assertFalse(((PSPNetConfig) config).pyramid(), "FCN: no pyramid pooling");
        } else {
            assertEquals(TorchvisionSegmentationWeights.Kind.DEEPLABV3, TorchvisionSegmentationWeights.detect(weights));
            assertFalse(((DeepLabV3PlusConfig) config).decoder(), "DeepLabV3: no decoder");
            assertEquals(CheckpointFormat.TORCH_LEGACY, weights.format(), "the DeepLabV3 file is in the pre-1.6 format");
        }
        SegmentationModel model = SegmentationModels.create(config);
        ImportReport r = TorchvisionSegmentationWeights.load(model, weights);
        assertEquals(List.of(), r.missing(), r.summary());
        assertEquals(List.of(), r.unexpected(), r.summary());
        for (String d : r.dropped()) {
            assertTrue(d.endsWith("num_batches_tracked") || d.startsWith("aux_classifier."), name + ": dropped " + d);
        }
        Goldens.assertClose(name + " logits", expected.get(name).toINDArray(), model.logits(input), REL);
    }

    @Test
    void aModelOfAnotherStructureOrAnotherHeadIsRefusedByName() throws IOException {
        StateDict fcn = Goldens.read("tv_fcn_r50.pth");
        PSPNetConfig tv = (PSPNetConfig) TorchvisionSegmentationWeights.config(fcn, 96, 128);
        SegmentationModel pyramid = SegmentationModels.create(PSPNetConfig.smp(3, 4, 96, 128, (ResNetConfig) tv.encoder()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TorchvisionSegmentationWeights.load(pyramid, fcn));
        assertTrue(e.getMessage().contains("differs from torchvision's fcn_resnet50"), e.getMessage());
        Map<String, Tensor> lraspp = new LinkedHashMap<>(fcn.tensors());
        lraspp.keySet().removeIf(k -> k.startsWith("classifier."));
        lraspp.put("classifier.cbr.0.weight", fcn.get("classifier.0.weight"));
        e = assertThrows(IllegalArgumentException.class,
                () -> TorchvisionSegmentationWeights.detect(new StateDict(lraspp, fcn.format())));
        assertTrue(e.getMessage().contains("neither torchvision's FCNHead nor its DeepLabHead"), e.getMessage());
    }
}
