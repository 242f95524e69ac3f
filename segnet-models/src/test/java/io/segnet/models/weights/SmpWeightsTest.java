package io.segnet.models.weights;

import io.segnet.models.LossConfig;
import io.segnet.models.ModelConfig;
import io.segnet.models.SegmentationModel;
import io.segnet.models.SegmentationModels;
import io.segnet.models.Training;
import io.segnet.models.Upsampling;
import io.segnet.models.deeplab.DeepLabV3PlusConfig;
import io.segnet.models.encoder.ResNetConfig;
import io.segnet.models.pspnet.PSPNetConfig;
import io.segnet.models.unet.UNetConfig;
import io.segnet.models.unetplusplus.UNetPlusPlusConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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
 * Whole segmentation_models_pytorch models (modules with smp's tree and forward passes, written by
 * src/test/python/make_model_goldens.py) import into segnet's smp presets and give PyTorch's logits to 1e-4 of their
 * largest magnitude in float32; mismatches fail with messages that name the key, the shapes or the config fields.
 */
class SmpWeightsTest {
    private static final double REL = 1e-4;
    private static StateDict expected;
    private static INDArray input;

    @BeforeAll
    static void readExpected() throws IOException {
        expected = Goldens.read("expected_models.safetensors");
        input = expected.get("input").toINDArray();
    }

    private static ResNetConfig resnet(int depth, int outputStride, ResNetConfig.Dilation dilation) {
        return new ResNetConfig(depth, outputStride, 4, dilation);
    }

    private static ResNetConfig resnet(int depth) {
        return resnet(depth, 32, ResNetConfig.Dilation.TORCHVISION);
    }

    /** What {@link SmpWeights#config} must read from each file: the preset with the file's widths and classes. */
    private static Map<String, ModelConfig> expectedConfigs() {
        Map<String, ModelConfig> m = new LinkedHashMap<>();
        UNetConfig unet = UNetConfig.smp(3, 3, 64, 96, resnet(34));
        m.put("smp_unet_r34", new UNetConfig(3, 3, 64, 96, unet.encoder(), Upsampling.NEAREST, true,
                List.of(4, 8, 8, 16, 32), 3, LossConfig.crossEntropy()));
        UNetPlusPlusConfig upp = UNetPlusPlusConfig.smp(3, 3, 64, 96, resnet(18));
        m.put("smp_unetplusplus_r18", new UNetPlusPlusConfig(3, 3, 64, 96, upp.encoder(), Upsampling.NEAREST, true,
                false, 0, List.of(4, 4, 8, 8, 16), UNetPlusPlusConfig.NodeLayout.SMP, 3, LossConfig.crossEntropy()));
        m.put("smp_pspnet_r18", new PSPNetConfig(3, 3, 64, 96, resnet(18), 3, true, PSPNetConfig.DEFAULT_BINS, 0, false, 16,
                1, false, 0, 0, 3, true, LossConfig.crossEntropy()));
        m.put("smp_deeplabv3plus_r50", new DeepLabV3PlusConfig(3, 3, 64, 96,
                resnet(50, 16, ResNetConfig.Dilation.UNIFORM), 16, List.of(12, 24, 36), true, true, true, 48, 16, 1, true,
                LossConfig.crossEntropy()));
        m.put("smp_deeplabv3plus_r18_os8", new DeepLabV3PlusConfig(3, 2, 64, 96,
                resnet(18, 8, ResNetConfig.Dilation.UNIFORM), 8, List.of(2, 4, 6), true, true, true, 48, 8, 1, true,
                LossConfig.crossEntropy()));
        return m;
    }

    private static ModelConfig configOf(String name, StateDict weights) {
        return name.endsWith("_os8") ? SmpWeights.config(weights, null, 64, 96, 8, List.of(2, 4, 6))
                : SmpWeights.config(weights, 64, 96);
    }

    @ParameterizedTest
    @ValueSource(strings = {"smp_unet_r34", "smp_unetplusplus_r18", "smp_pspnet_r18", "smp_deeplabv3plus_r50",
            "smp_deeplabv3plus_r18_os8"})
    void aWholeSmpModelGivesPyTorchsLogits(String name) throws IOException {
        StateDict weights = Goldens.read(name + ".pth");
        ModelConfig config = configOf(name, weights);
        assertEquals(expectedConfigs().get(name), config, name + ": the config read from the file");
        SegmentationModel model = SegmentationModels.create(config);
        ImportReport r = SmpWeights.load(model, weights);
        assertEquals(List.of(), r.missing(), r.summary());
        assertEquals(List.of(), r.unexpected(), r.summary());
        assertEquals(countParams(model), r.used().size(), name + ": every segnet parameter from one key; "
                + r.summary());
        for (String d : r.dropped()) {
            assertTrue(d.endsWith("num_batches_tracked") || d.matches("(model\\.)?encoder\\.layer[34]\\..*")
                    || d.equals("epoch"), name + ": unexpectedly dropped " + d);
        }
        Goldens.assertClose(name + " logits", expected.get(name).toINDArray(), model.logits(input), REL);
    }

    private static int countParams(SegmentationModel model) {
        int n = 0;
        for (var layer : model.graph().getLayers()) {
            n += layer.paramTable().size();
        }
        return n;
    }

    @Test
    void smp05sBilinearDecoderInterpolationIsUNetsBilinearUpsampling() throws IOException {
        StateDict weights = Goldens.read("smp_unet_r18_bilinear.pth");
        UNetConfig nearest = (UNetConfig) SmpWeights.config(weights, 64, 96);
        INDArray want = expected.get("smp_unet_r18_bilinear").toINDArray();
        SegmentationModel bilinear = SegmentationModels.create(nearest.withUpsampling(Upsampling.BILINEAR));
        SmpWeights.load(bilinear, weights);
        Goldens.assertClose("bilinear U-Net logits", want, bilinear.logits(input), REL);
        SegmentationModel wrong = SegmentationModels.create(nearest);
        SmpWeights.load(wrong, weights);
        double err = want.sub(wrong.logits(input)).amaxNumber().doubleValue();
        assertTrue(err > 1e-2 * want.amaxNumber().doubleValue(), "nearest upsampling gives other logits: " + err);
    }

    @Test
    void decoderOptionsSegnetDoesNotHaveAreRefusedByName() throws IOException {
        StateDict unet = Goldens.read("smp_unet_r34.pth");
        Map<String, Tensor> layerNorm = new LinkedHashMap<>(unet.tensors());
        layerNorm.keySet().removeIf(k -> k.startsWith("decoder.") && (k.endsWith("running_mean")
                || k.endsWith("running_var") || k.endsWith("num_batches_tracked")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SmpWeights.config(new StateDict(layerNorm, unet.format()), 64, 96));
        assertTrue(e.getMessage().contains("decoder_use_norm layernorm or instancenorm"), e.getMessage());
        StateDict dl = Goldens.read("smp_deeplabv3plus_r50.pth");
        Map<String, Tensor> plainAspp = new LinkedHashMap<>(dl.tensors());
        plainAspp.put("decoder.aspp.0.convs.1.0.weight", plainAspp.remove("decoder.aspp.0.convs.1.0.1.weight"));
        e = assertThrows(IllegalArgumentException.class,
                () -> SmpWeights.config(new StateDict(plainAspp, dl.format()), 64, 96));
        assertTrue(e.getMessage().contains("decoder_aspp_separable=False"), e.getMessage());
    }

    @Test
    void wrappersAreFoundAndPspNetsUnusedStagesAreDropped() throws IOException {
        StateDict upp = Goldens.read("smp_unetplusplus_r18.pth");
        assertEquals("model.", SmpWeights.load(SegmentationModels.create(SmpWeights.config(upp, 64, 96)), upp)
                .prefix());
        StateDict dl = Goldens.read("smp_deeplabv3plus_r18_os8.pth");
        assertEquals("module.", SmpWeights.load(SegmentationModels.create(configOf("smp_deeplabv3plus_r18_os8", dl)),
                dl).prefix());
        StateDict psp = Goldens.read("smp_pspnet_r18.pth");
        ImportReport r = SmpWeights.load(SegmentationModels.create(SmpWeights.config(psp, 64, 96)), psp);
        assertTrue(r.dropped().containsAll(List.of("encoder.layer3.0.conv1.weight", "encoder.layer4.1.bn2.running_var",
                "decoder.conv.1.num_batches_tracked")), r.dropped().toString());
        assertEquals(4 * 12 + 2 * 6, r.dropped().stream().filter(k -> k.matches("encoder\\.layer[34]\\..*"))
                .count(), "layer3 and layer4 of a ResNet-18: 4 blocks of 12 keys, 2 projections of 6");
    }

    @Test
    void pspNetsBottleneckTakesTheMapAndTheBinsInSmpsOrder() throws IOException {
        StateDict psp = Goldens.read("smp_pspnet_r18.pth");
        SegmentationModel model = SegmentationModels.create(SmpWeights.config(psp, 64, 96));
        SmpWeights.load(model, psp);
        INDArray w = model.graph().getLayer("head.bottleneck.conv").getParam("W");
        INDArray smp = psp.get("decoder.conv.0.weight").toINDArray();
        // ResNet-18 width 4: layer2 has 8 channels, each of the 4 bins 2; segnet [map, bins], smp [bins, map]
        assertEquals(smp.getDouble(5, 8, 0, 0), w.getDouble(5, 0, 0, 0));
        assertEquals(smp.getDouble(5, 0, 0, 0), w.getDouble(5, 8, 0, 0));
        assertEquals(smp.getDouble(3, 7, 0, 0), w.getDouble(3, 15, 0, 0));
    }

    @Test
    void anImportedModelSavesLoadsAndTrainsLikeAnyOther(@TempDir Path dir) throws IOException {
        StateDict weights = Goldens.read("smp_unet_r34.pth");
        SegmentationModel model = SmpWeights.create(SmpWeights.config(weights, 64, 96), Training.adam(1e-3),
                weights);
        Path file = dir.resolve("imported.zip");
        model.save(file);
        SegmentationModel loaded = SegmentationModel.load(file);
        assertEquals(model.config(), loaded.config());
        Goldens.assertClose("logits after save and load", expected.get("smp_unet_r34").toINDArray(),
                loaded.logits(input), REL);
        INDArray labels = input.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1)).gt(0).castTo(input.dataType());
        double first = loaded.fit(input, labels);
        double later = first;
        for (int i = 0; i < 5; i++) {
            later = loaded.fit(input, labels);
        }
        assertTrue(later < first, "fine-tuning lowers the loss: " + first + " -> " + later);
    }

    @Test
    void aConfigThatDiffersFromSmpsIsRefusedNamingEveryDifference() throws IOException {
        StateDict weights = Goldens.read("smp_unet_r34.pth");
        UNetConfig smp = (UNetConfig) SmpWeights.config(weights, 64, 96);
        SegmentationModel bilinear = SegmentationModels.create(new UNetConfig(3, 3, 64, 96, smp.encoder(),
                Upsampling.BILINEAR, true, smp.decoderChannels(), 1, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SmpWeights.load(bilinear, weights));
        assertTrue(e.getMessage().contains("headKernel is 1 (smp: 3)") && e.getMessage().contains("UNetConfig.smp"),
                e.getMessage());
        SegmentationModel transposed = SegmentationModels.create(new UNetConfig(3, 3, 64, 96, smp.encoder(),
                Upsampling.TRANSPOSED, true, smp.decoderChannels(), 3, null));
        e = assertThrows(IllegalArgumentException.class, () -> SmpWeights.load(transposed, weights));
        assertTrue(e.getMessage().contains("upsampling is TRANSPOSED (smp: NEAREST, or BILINEAR"), e.getMessage());
        SegmentationModel pspPaper = SegmentationModels.create(PSPNetConfig.standard(3, 3, 64, 64));
        e = assertThrows(IllegalArgumentException.class,
                () -> SmpWeights.load(pspPaper, Goldens.read("smp_pspnet_r18.pth")));
        assertTrue(e.getMessage().contains("globalBinBatchNorm is true (smp: false)")
                && e.getMessage().contains("auxiliary is true (smp: false)"), e.getMessage());
    }

    @Test
    void aShapeMismatchNamesTheKeyAndBothShapesAndLoadsNothing() throws IOException {
        StateDict weights = Goldens.read("smp_unet_r34.pth");
        SegmentationModel wide = SegmentationModels.create(new UNetConfig(3, 3, 64, 96, resnet(34),
                Upsampling.NEAREST, true, List.of(4, 8, 8, 16, 64), 3, null));
        INDArray before = wide.graph().getLayer("encoder.stem.conv").getParam("W").dup();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SmpWeights.load(wide, weights));
        assertTrue(e.getMessage().contains("checkpoint key 'decoder.blocks.0.conv1.0.weight' has shape [32, 48, 3, 3],"
                + " segnet's decoder.block4.conv1.conv/W has shape [64, 48, 3, 3]"), e.getMessage());
        assertEquals(before, wide.graph().getLayer("encoder.stem.conv").getParam("W"), "nothing is loaded");
    }

    @Test
    void missingAndUnexpectedKeysAreErrorsNamingTheFirst() throws IOException {
        StateDict weights = Goldens.read("smp_unet_r34.pth");
        ModelConfig config = SmpWeights.config(weights, 64, 96);
        Map<String, Tensor> less = new LinkedHashMap<>(weights.tensors());
        less.remove("decoder.blocks.2.conv2.1.running_var");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SmpWeights.load(SegmentationModels.create(config), new StateDict(less, weights.format())));
        assertTrue(e.getMessage().contains("decoder.block2.conv2.bn/runningVar (key"
                + " 'decoder.blocks.2.conv2.1.running_var')"), e.getMessage());
        Map<String, Tensor> more = new LinkedHashMap<>(weights.tensors());
        more.put("decoder.blocks.0.attention1.attention.cSE.1.weight", Tensor.ofFloats(new long[]{1}, new float[1]));
        more.put("classification_head.3.weight", Tensor.ofFloats(new long[]{1}, new float[1]));
        e = assertThrows(IllegalArgumentException.class,
                () -> SmpWeights.load(SegmentationModels.create(config), new StateDict(more, weights.format())));
        assertTrue(e.getMessage().contains("1 keys the model has no parameter for, first"
                + " 'decoder.blocks.0.attention1.attention.cSE.1.weight'"), e.getMessage());
        ImportReport r = SmpWeights.load(SegmentationModels.create(config), new StateDict(more, weights.format()),
                true);
        assertTrue(r.dropped().contains("classification_head.3.weight"), r.dropped().toString());
        e = assertThrows(IllegalArgumentException.class,
                () -> SmpWeights.config(new StateDict(more, weights.format()), 64, 96));
        assertTrue(e.getMessage().contains("decoder attention"), e.getMessage());
    }

    @Test
    void otherCheckpointsAreRecognisedAndRefusedWithWhatTheyAre() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SmpWeights.config(Goldens.read("resnet18_w4.pth"), 64, 64));
        assertTrue(e.getMessage().contains("an encoder alone"), e.getMessage());
        Map<String, Tensor> torchvisionFcn = new LinkedHashMap<>();
        for (String k : List.of("backbone.conv1.weight", "backbone.bn1.weight", "classifier.0.weight",
                "classifier.4.weight", "aux_classifier.4.weight")) {
            torchvisionFcn.put(k, Tensor.ofFloats(new long[]{1}, new float[1]));
        }
        e = assertThrows(IllegalArgumentException.class, () -> SmpWeights.config(new StateDict(torchvisionFcn,
                CheckpointFormat.TORCH_ZIP), 64, 64));
        assertTrue(e.getMessage().contains("torchvision's fcn_resnet / deeplabv3_resnet"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SmpWeights.config(Goldens.read("smp_pspnet_r18.pth"),
                SmpArchitecture.UNET, 64, 64, 0, List.of()));
        assertTrue(e.getMessage().contains("the checkpoint is smp's PSPNet, not Unet"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SmpWeights.load(
                SegmentationModels.create("segnet", 3, 2, 64, 64), Goldens.read("smp_pspnet_r18.pth")));
        assertTrue(e.getMessage().contains("segnet's segnet has no segmentation_models_pytorch counterpart"),
                e.getMessage());
    }

    @Test
    void loadingAPyTorchFileAsASegnetModelSaysHowToConvertIt() {
        for (String name : List.of("smp_unet_r34.pth", "resnet34_w4_legacy.pth")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SegmentationModel.load(Goldens.file(name)));
            assertTrue(e.getMessage().contains("it is a PyTorch checkpoint") && e.getMessage().contains("SmpWeights")
                    && e.getMessage().contains("segnet import"), e.getMessage());
        }
    }

    @Test
    void architectureNamesReadAsSmpsOrSegnets() {
        assertEquals(SmpArchitecture.UNET_PLUS_PLUS, SmpArchitecture.named("UnetPlusPlus"));
        assertEquals(SmpArchitecture.UNET_PLUS_PLUS, SmpArchitecture.named("unet++"));
        assertEquals(SmpArchitecture.DEEPLABV3PLUS, SmpArchitecture.named("deeplabv3+"));
        assertEquals(SmpArchitecture.PSPNET, SmpArchitecture.named("PSPNet"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SmpArchitecture.named("fpn"));
        assertTrue(e.getMessage().contains("Unet, UnetPlusPlus, PSPNet and DeepLabV3Plus"), e.getMessage());
    }

    @Test
    void encoderWeightsLoadIntoSmpsPspNetDroppingTheStagesItDoesNotBuild() throws IOException {
        SegmentationModel psp = SegmentationModels.create(PSPNetConfig.smp(3, 2, 64, 64, resnet(18)));
        ImportReport r = EncoderWeights.load(psp, Goldens.read("resnet18_w4.pth"));
        assertEquals(List.of(), r.unexpected());
        assertEquals(5 + 4 * 10 + 5, r.used().size(), r.summary()); // stem, layer1-2 (4 blocks), 1 projection
        assertTrue(r.dropped().contains("layer4.1.conv2.weight"), r.dropped().toString());
    }
}
