package io.segnet.models.weights;

import io.segnet.models.LossConfig;
import io.segnet.models.SegmentationModel;
import io.segnet.models.SegmentationModels;
import io.segnet.models.Upsampling;
import io.segnet.models.encoder.EncoderConfig;
import io.segnet.models.encoder.ResNetConfig;
import io.segnet.models.encoder.SmallEncoderConfig;
import io.segnet.models.encoder.Vgg16Config;
import io.segnet.models.deeplab.DeepLabV3PlusConfig;
import io.segnet.models.fcn.FcnConfig;
import io.segnet.models.fcn.FcnVariant;
import io.segnet.models.pspnet.PSPNetConfig;
import io.segnet.models.segnet.SegNetConfig;
import io.segnet.models.unet.UNetConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * torchvision encoders (stem width 4) imported from every supported layout give PyTorch's feature maps to 1e-4 of
 * their largest magnitude, in float32 and eval mode.
 */
class EncoderWeightsTest {
    private static final double REL = 1e-4;
    private static StateDict expected;
    private static INDArray input;

    @BeforeAll
    static void readExpected() throws IOException {
        expected = Goldens.read("expected_features.safetensors");
        input = expected.get("input").toINDArray();
    }

    private static SegmentationModel unet(EncoderConfig encoder) {
        return SegmentationModels.create(new UNetConfig(3, 2, 64, 64, encoder, Upsampling.BILINEAR, true, List.of(),
                LossConfig.crossEntropy()));
    }

    private static ResNetConfig resnet(int depth) {
        return new ResNetConfig(depth, 32, 4, ResNetConfig.Dilation.TORCHVISION);
    }

    /** segnet vertex of each torch feature map name. */
    private static Map<String, String> resnetMaps(int depth) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("stem", "encoder.stem.bn");
        List<Integer> blocks = resnet(depth).blocks();
        for (int l = 1; l <= 4; l++) {
            m.put("layer" + l, "encoder.layer" + l + ".block" + (blocks.get(l - 1) - 1) + ".out");
        }
        return m;
    }

    private static Map<String, String> vggMaps(boolean bn) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("block1", "encoder.block1.conv2." + (bn ? "bn" : "conv"));
        for (int b = 1; b <= 5; b++) {
            m.put("pool" + b, "encoder.block" + b + ".pool");
        }
        return m;
    }

    private static void assertFeatures(SegmentationModel model, String torchName, Map<String, String> maps) {
        Map<String, INDArray> acts = model.graph().feedForward(new INDArray[]{input}, false);
        for (Map.Entry<String, String> e : maps.entrySet()) {
            INDArray want = expected.get(torchName + "." + e.getKey()).toINDArray();
            Goldens.assertClose(torchName + " " + e.getKey() + " (" + e.getValue() + ")", want, acts.get(e.getValue()),
                    REL);
        }
    }

    @Test
    void resnet18FromTheZipFormat() throws IOException {
        SegmentationModel model = unet(resnet(18));
        ImportReport r = EncoderWeights.load(model, Goldens.read("resnet18_w4.pth"));
        assertEquals("", r.prefix());
        assertEquals(List.of(), r.missing());
        assertEquals(List.of(), r.unexpected());
        assertTrue(r.dropped().containsAll(List.of("fc.weight", "fc.bias", "bn1.num_batches_tracked")), r.dropped()
                .toString());
        assertEquals(5 + 8 * 10 + 3 * 5, r.used().size(), r.summary()); // stem, 8 basic blocks, 3 projections
        assertFeatures(model, "resnet18", resnetMaps(18));
    }

    @Test
    void resnet34FromTheLegacyFormatWithDataParallelPrefix() throws IOException {
        SegmentationModel model = unet(resnet(34));
        ImportReport r = EncoderWeights.load(model, Goldens.read("resnet34_w4_legacy.pth"));
        assertEquals("module.", r.prefix());
        assertEquals(List.of(), r.unexpected());
        assertFeatures(model, "resnet34", resnetMaps(34));
    }

    @Test
    void resnet50FromSafetensorsWithSmpPrefix() throws IOException {
        SegmentationModel model = unet(resnet(50));
        ImportReport r = EncoderWeights.load(model, Goldens.read("resnet50_w4.safetensors"));
        assertEquals("encoder.", r.prefix());
        assertTrue(r.dropped().containsAll(List.of("decoder.blocks.0.conv1.0.weight", "segmentation_head.0.weight")),
                r.dropped().toString());
        assertFeatures(model, "resnet50", resnetMaps(50));
    }

    @Test
    void vgg16FromALightningCheckpoint() throws IOException {
        SegmentationModel model = unet(new Vgg16Config(4, false));
        ImportReport r = EncoderWeights.load(model, Goldens.read("vgg16_w4.pth"));
        assertEquals("model.", r.prefix());
        assertEquals(26, r.used().size(), r.summary());
        assertEquals(6, r.dropped().size(), r.summary());
        assertFeatures(model, "vgg16", vggMaps(false));
    }

    @Test
    void vgg16BnFromTheLegacyFormat() throws IOException {
        SegmentationModel model = unet(new Vgg16Config(4, true));
        ImportReport r = EncoderWeights.load(model, Goldens.read("vgg16_bn_w4_legacy.pth"));
        assertEquals(26 + 13 * 4, r.used().size(), r.summary());
        assertFeatures(model, "vgg16_bn", vggMaps(true));
    }

    @Test
    void dilatedEncodersOfPspNetAndDeepLabV3PlusTakeTheSameWeights() throws IOException {
        StateDict r18 = Goldens.read("resnet18_w4.pth");
        SegmentationModel psp = SegmentationModels.create(new PSPNetConfig(3, 2, 64, 64,
                new ResNetConfig(18, 8, 4, ResNetConfig.Dilation.TORCHVISION), List.of(), 0, 8, true, 8, 0.4, null));
        assertEquals(100, EncoderWeights.load(psp, r18).used().size());
        SegmentationModel deeplab = SegmentationModels.create(new DeepLabV3PlusConfig(3, 2, 64, 64,
                new ResNetConfig(18, 16, 4, ResNetConfig.Dilation.UNIFORM), 8, List.of(), true, 8, 8, null));
        assertEquals(100, EncoderWeights.load(deeplab, r18).used().size());
        assertEquals(r18.get("layer4.1.conv2.weight").toINDArray(),
                deeplab.graph().getLayer("encoder.layer4.block1.conv2.conv").getParam("W"));
    }

    @Test
    void vggEncodersOfSegNetTakeVgg16BnWeights() throws IOException {
        SegmentationModel segnet = SegmentationModels.create(new SegNetConfig(3, 2, 64, 64, new Vgg16Config(4, true),
                true, null));
        ImportReport r = EncoderWeights.load(segnet, Goldens.read("vgg16_bn_w4_legacy.pth"));
        assertEquals(26 + 13 * 4, r.used().size(), r.summary());
    }

    @Test
    void anImportedModelSavesAndLoadsLikeAnyOther(@TempDir Path dir) throws IOException {
        SegmentationModel model = unet(resnet(18));
        EncoderWeights.load(model, Goldens.read("resnet18_w4.pth"));
        Path file = dir.resolve("imported.zip");
        model.save(file);
        SegmentationModel loaded = SegmentationModel.load(file);
        assertEquals(model.logits(input), loaded.logits(input));
        Map<String, INDArray> acts = loaded.graph().feedForward(new INDArray[]{input}, false);
        Goldens.assertClose("layer4 after save and load", expected.get("resnet18.layer4").toINDArray(),
                acts.get("encoder.layer4.block1.out"), REL);
    }

    @Test
    void fcnTakesTheVggClassifierAsFc6AndFc7() throws IOException {
        StateDict vgg = Goldens.read("vgg16_w4.pth");
        SegmentationModel fcn = SegmentationModels.create(new FcnConfig(3, 2, 64, 64, new Vgg16Config(4, false),
                FcnVariant.FCN_8S, Upsampling.BILINEAR, 16, 1, 16, null));
        EncoderWeights.load(fcn, vgg);
        ImportReport r = EncoderWeights.loadFcnClassifier(fcn, vgg);
        assertEquals(List.of("model.classifier.0.weight", "model.classifier.0.bias", "model.classifier.3.weight",
                "model.classifier.3.bias"), r.used());
        assertEquals(vgg.get("model.classifier.0.weight").toINDArray().reshape(16, 32, 1, 1),
                fcn.graph().getLayer("head.fc6").getParam("W"));
        assertEquals(vgg.get("model.classifier.3.bias").toINDArray(), fcn.graph().getLayer("head.fc7").getParam("b")
                .reshape(16));

        SegmentationModel wide = SegmentationModels.create(new FcnConfig(3, 2, 64, 64, new Vgg16Config(4, false),
                FcnVariant.FCN_8S, Upsampling.BILINEAR, 16, 7, 16, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EncoderWeights.loadFcnClassifier(wide, vgg));
        assertTrue(e.getMessage().contains("'model.classifier.0.weight' has shape [16, 32], segnet's head.fc6/W has"
                + " shape [16, 32, 7, 7]"), e.getMessage());
    }

    @Test
    void theDecoderKeepsItsInitialisation() throws IOException {
        SegmentationModel model = unet(resnet(18));
        INDArray before = model.graph().getLayer("head.classifier").getParam("W").dup();
        EncoderWeights.load(model, Goldens.read("resnet18_w4.pth"));
        assertEquals(before, model.graph().getLayer("head.classifier").getParam("W"));
    }

    @Test
    void missingKeysAreAnErrorNamingTheFirst() throws IOException {
        SegmentationModel model = unet(resnet(34));
        StateDict r18 = Goldens.read("resnet18_w4.pth");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EncoderWeights.load(model, r18));
        assertTrue(e.getMessage().contains("encoder.layer1.block2.conv1.conv/W (key 'layer1.2.conv1.weight')"),
                e.getMessage());
    }

    @Test
    void unexpectedKeysAreAnErrorUnlessAllowed() throws IOException {
        StateDict r34 = Goldens.read("resnet34_w4_legacy.pth");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EncoderWeights.load(unet(resnet(18)), r34));
        assertTrue(e.getMessage().contains("first 'module.layer1.2.conv1.weight'"), e.getMessage());
        ImportReport r = EncoderWeights.load(unet(resnet(18)), r34, true);
        assertEquals(List.of(), r.missing());
        assertEquals((3 + 4 + 6 + 3 - 8) * 10, r.unexpected().size(), r.summary()); // 8 extra basic blocks
    }

    @Test
    void aShapeMismatchNamesTheKeyAndBothShapes() throws IOException {
        SegmentationModel model = unet(new ResNetConfig(18, 32, 8, ResNetConfig.Dilation.TORCHVISION));
        INDArray before = model.graph().getLayer("encoder.stem.conv").getParam("W").dup();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EncoderWeights.load(model, Goldens.read("resnet18_w4.pth")));
        assertTrue(e.getMessage().contains("checkpoint key 'conv1.weight' has shape [4, 3, 7, 7], segnet's"
                + " encoder.stem.conv/W has shape [8, 3, 7, 7]"), e.getMessage());
        assertEquals(before, model.graph().getLayer("encoder.stem.conv").getParam("W"), "nothing is loaded");
    }

    @Test
    void aGrayscaleModelSaysTheCheckpointWantsRgb() {
        SegmentationModel gray = SegmentationModels.create(new UNetConfig(1, 2, 64, 64, resnet(18), Upsampling.BILINEAR,
                true, List.of(), null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EncoderWeights.load(gray, Goldens.read("resnet18_w4.pth")));
        assertTrue(e.getMessage().contains("[4, 3, 7, 7], segnet's encoder.stem.conv/W has shape [4, 1, 7, 7] (the"
                + " checkpoint was trained on 3-channel images, the model takes 1)"), e.getMessage());
    }

    @Test
    void anEncoderWithoutATorchvisionCounterpartIsRefused() {
        SegmentationModel model = unet(new SmallEncoderConfig(4, 4, true));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EncoderWeights.load(model, Goldens.read("resnet18_w4.pth")));
        assertTrue(e.getMessage().contains("small encoder has no torchvision counterpart"), e.getMessage());
    }
}
