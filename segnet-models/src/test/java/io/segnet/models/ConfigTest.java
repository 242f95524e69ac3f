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
import org.junit.jupiter.api.function.Executable;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Configs validate their values with messages that say what to change, and read back from JSON. */
class ConfigTest {

    private static void failsWith(Executable build, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message should contain '" + f + "': " + e.getMessage());
        }
    }

    @Test
    void anInputSizeTheOutputStrideCannotDivideNamesTheSizeToPadTo() {
        failsWith(() -> UNetConfig.classic(3, 2, 250, 250, 64, 5), "UNetConfig", "250x250", "multiple of 32",
                "pad the input to 256x256");
        failsWith(() -> UNetConfig.classic(3, 2, 64, 84, 16, 3), "multiple of 8", "pad the input to 64x88");
        failsWith(() -> UNetPlusPlusConfig.of(1, 2, 30, 32, 4, 2), "pad the input to 32x32");
        failsWith(() -> FcnConfig.standard(3, 21, 500, 375), "pad the input to 512x384");
        failsWith(() -> SegNetConfig.standard(3, 12, 20, 300), "smaller than 32x32", "at least 32x300");
        failsWith(() -> DeepLabV3PlusConfig.standard(3, 21, 8, 8), "smaller than 16x16");
    }

    @Test
    void bilinearUpsamplingAcceptsAnySizeOfAtLeastTheOutputStride() {
        UNetConfig c = UNetConfig.classic(3, 2, 64, 64, 8, 3).withUpsampling(Upsampling.BILINEAR);
        assertEquals(251, c.withInputSize(251, 37).inputHeight());
        failsWith(() -> c.withInputSize(7, 37), "smaller than 8x8");
    }

    @Test
    void invalidValuesAreRejectedWithAFix() {
        failsWith(() -> new ResNetConfig(101, 16, 64, null), "depth must be one of [18, 34, 50], got 101");
        failsWith(() -> new ResNetConfig(50, 4, 64, null), "outputStride must be one of [32, 16, 8]");
        failsWith(() -> new SmallEncoderConfig(16, 0, true), "depth (number of poolings) must be 1 to 8, got 0");
        failsWith(() -> new Vgg16Config(0, false), "width must be at least 1, got 0");
        failsWith(() -> UNetConfig.classic(0, 2, 64, 64, 8, 2), "inChannels must be at least 1");
        failsWith(() -> new SegNetConfig(3, 2, 64, 64, ResNetConfig.of(18, 32), true, null),
                "strided convolutions", "use a \"vgg16\" or \"small\" encoder");
        failsWith(() -> new FcnConfig(3, 2, 64, 64, ResNetConfig.of(18, 16), FcnVariant.FCN_8S, Upsampling.BILINEAR,
                64, 3, 64, null), "FCN_8S", "output stride is 16", "FCN_32S");
        failsWith(() -> new FcnConfig(3, 2, 64, 64, Vgg16Config.standard(), FcnVariant.FCN_8S, Upsampling.BILINEAR,
                64, 4, 64, null), "fc6Kernel must be odd");
        failsWith(() -> new DeepLabV3PlusConfig(3, 2, 64, 64, ResNetConfig.of(18, 32), 64, List.of(), false, 48, 64,
                null), "output stride 16 (6, 12, 18) and 8 (12, 24, 36)", "give asppRates explicitly");
        failsWith(() -> new DeepLabV3PlusConfig(3, 2, 64, 64, new SmallEncoderConfig(4, 2, true), 8, List.of(1), false,
                4, 8, null), "stride-4 features", "output stride 8 or more");
        failsWith(() -> new PSPNetConfig(3, 2, 64, 64, ResNetConfig.of(18, 8), List.of(1, 2, 2), 0, 64, false, 0, 0,
                null), "bins must be distinct");
        failsWith(() -> new UNetConfig(3, 2, 64, 64, new SmallEncoderConfig(8, 3, true), Upsampling.TRANSPOSED, true,
                List.of(8, 16), null), "decoderChannels has 2 entries", "the decoder has 3");
        failsWith(() -> new UNetPlusPlusConfig(1, 2, 32, 32, new SmallEncoderConfig(4, 3, true),
                Upsampling.TRANSPOSED, true, false, 2, List.of(), null), "needs deepSupervision = true");
        failsWith(() -> new UNetConfig(3, 3, 64, 64, new SmallEncoderConfig(8, 2, true), null, true, null,
                LossConfig.crossEntropy().withClassWeights(List.of(1.0, 2.0))), "classWeights has 2 entries",
                "numClasses is 3");
        failsWith(() -> new LossConfig(0, 0, null, 255), "not both 0");
        failsWith(() -> new UNetConfig(3, 2, 64, 64, null, null, true, null, null), "encoder is missing");
    }

    @Test
    void configsReadBackFromJsonWithTheirTypeTags() {
        List<ModelConfig> configs = List.of(UNetConfig.classic(1, 2, 64, 64, 8, 3),
                UNetPlusPlusConfig.of(1, 2, 64, 64, 8, 3).withInferenceDepth(2), FcnConfig.standard(3, 21, 64, 64),
                SegNetConfig.standard(3, 12, 64, 64), PSPNetConfig.standard(3, 21, 64, 64),
                DeepLabV3PlusConfig.standard(3, 21, 64, 64).withSeparable(true));
        for (ModelConfig c : configs) {
            String json = c.toJson();
            assertTrue(json.contains("\"type\" : \"" + c.typeName() + "\""), json);
            assertEquals(c, ModelConfig.fromJson(json));
        }
    }

    @Test
    void smpPresetsReadBackFromJsonAndOlderJsonReadsWithTodaysDefaults() {
        ResNetConfig r18 = new ResNetConfig(18, 32, 8, ResNetConfig.Dilation.TORCHVISION);
        List<ModelConfig> configs = List.of(UNetConfig.smp(3, 2, 64, 64, r18), UNetPlusPlusConfig.smp(3, 2, 64, 64, r18),
                PSPNetConfig.smp(3, 2, 64, 64, r18), DeepLabV3PlusConfig.smp(3, 2, 64, 64,
                        new ResNetConfig(18, 16, 8, ResNetConfig.Dilation.UNIFORM)));
        for (ModelConfig c : configs) {
            assertEquals(c, ModelConfig.fromJson(c.toJson()), c.typeName());
        }
        // the JSON of a model saved before headKernel, nodeLayout, encoderDepth, ... existed
        String unet = "{\"type\": \"unet\", \"inChannels\": 1, \"numClasses\": 2, \"inputHeight\": 32,"
                + " \"inputWidth\": 32, \"encoder\": {\"type\": \"small\", \"width\": 4, \"depth\": 2,"
                + " \"batchNorm\": true}, \"upsampling\": \"TRANSPOSED\", \"batchNorm\": true,"
                + " \"decoderChannels\": []}";
        assertEquals(new UNetConfig(1, 2, 32, 32, new SmallEncoderConfig(4, 2, true), Upsampling.TRANSPOSED, true,
                List.of(), null), ModelConfig.fromJson(unet));
        String psp = "{\"type\": \"pspnet\", \"inChannels\": 3, \"numClasses\": 2, \"inputHeight\": 64,"
                + " \"inputWidth\": 64, \"encoder\": {\"type\": \"resnet\", \"depth\": 18, \"outputStride\": 8,"
                + " \"width\": 4}, \"bins\": [1, 2], \"branchChannels\": 0, \"bottleneckChannels\": 8,"
                + " \"auxiliary\": false}";
        PSPNetConfig old = (PSPNetConfig) ModelConfig.fromJson(psp);
        assertEquals(new PSPNetConfig(3, 2, 64, 64, new ResNetConfig(18, 8, 4, null), List.of(1, 2), 0, 8, false,
                0, 0, null), old);
        assertTrue(old.globalBinBatchNorm() && old.bottleneckKernel() == 3 && old.headKernel() == 1
                && old.encoderDepth() == 0 && !old.alignCorners(), old.toString());
        String deeplab = "{\"type\": \"deeplabv3plus\", \"inChannels\": 3, \"numClasses\": 2, \"inputHeight\":"
                + " 64, \"inputWidth\": 64, \"encoder\": {\"type\": \"resnet\", \"depth\": 18, \"outputStride\":"
                + " 16, \"width\": 4}, \"asppChannels\": 8, \"separable\": false, \"lowLevelChannels\": 4,"
                + " \"decoderChannels\": 8}";
        DeepLabV3PlusConfig d = (DeepLabV3PlusConfig) ModelConfig.fromJson(deeplab);
        assertTrue(d.fuseConvs() == 2 && !d.asppOutputConv() && !d.alignCorners(), d.toString());
        UNetPlusPlusConfig upp = (UNetPlusPlusConfig) ModelConfig.fromJson(UNetPlusPlusConfig.of(1, 2, 32, 32, 4, 2)
                .toJson().replace("\"nodeLayout\" : \"PAPER\",", "").replace("\"headKernel\" : 1,", ""));
        assertEquals(UNetPlusPlusConfig.of(1, 2, 32, 32, 4, 2), upp);
    }

    @Test
    void smpOptionsAreValidatedWithAFix() {
        ResNetConfig r18 = ResNetConfig.of(18, 32);
        failsWith(() -> new UNetConfig(3, 2, 64, 64, r18, Upsampling.NEAREST, true, List.of(), 5, null),
                "headKernel must be one of [1, 3], got 5");
        failsWith(() -> new UNetPlusPlusConfig(3, 2, 64, 64, r18, Upsampling.NEAREST, true, true, 0, List.of(),
                UNetPlusPlusConfig.NodeLayout.SMP, 3, null), "nodeLayout SMP has one full-resolution node",
                "deepSupervision to false");
        failsWith(() -> new UNetPlusPlusConfig(3, 2, 64, 64, new SmallEncoderConfig(4, 3, true), Upsampling.NEAREST,
                true, false, 0, List.of(), UNetPlusPlusConfig.NodeLayout.SMP, 3, null), "use nodeLayout PAPER");
        failsWith(() -> new PSPNetConfig(3, 2, 64, 64, r18, 6, true, List.of(1, 2), 0, true, 8, 3, false, 0, 0, 1, false,
                null), "encoderDepth must be 0 (the whole encoder) or 1 to 5");
        failsWith(() -> new PSPNetConfig(3, 2, 64, 64, r18, 1, true, List.of(1, 2), 0, true, 8, 3, true, 8, 0.4, 1, false,
                null), "at encoderDepth 1 has 2 levels");
        failsWith(() -> new PSPNetConfig(3, 2, 64, 64, r18, 3, true, List.of(1, 2), 0, true, 8, 5, false, 0, 0, 1, false,
                null), "bottleneckKernel must be one of [1, 3]");
        failsWith(() -> new DeepLabV3PlusConfig(3, 2, 64, 64, ResNetConfig.of(18, 16), 8, List.of(), true, true, true,
                4, 8, 3, true, null), "fuseConvs must be one of [1, 2], got 3");
        failsWith(() -> DeepLabV3PlusConfig.smp(3, 2, 64, 64, ResNetConfig.of(18, 16)), "dilation UNIFORM");
        failsWith(() -> new FcnConfig(3, 2, 64, 64, Vgg16Config.standard(), FcnVariant.FCN_8S, Upsampling.NEAREST,
                64, 3, 64, null), "NEAREST is U-Net's and UNet++'s option");
    }

    @Test
    void smpPresetsAtFullWidthHaveSmpsParameterCounts() {
        ResNetConfig r34 = ResNetConfig.of(34, 32);
        // smp 0.3: Unet("resnet34", classes=1) 24,436,369; UnetPlusPlus 26,078,609; DeepLabV3Plus 22,437,457;
        // PSPNet 21,437,985 of which layer3 and layer4 (19,936,768) are kept in its encoder but never run
        assertEquals(24_436_369L, trainable(UNetConfig.smp(3, 1, 64, 64, r34)));
        assertEquals(26_078_609L, trainable(UNetPlusPlusConfig.smp(3, 1, 64, 64, r34)));
        assertEquals(22_437_457L, trainable(DeepLabV3PlusConfig.smp(3, 1, 64, 64,
                new ResNetConfig(34, 16, 64, ResNetConfig.Dilation.UNIFORM))));
        assertEquals(21_437_985L - 19_936_768L, trainable(PSPNetConfig.smp(3, 1, 64, 64, r34)));
    }

    private static long trainable(ModelConfig config) {
        return ModelSummary.of(config.typeName(), config.buildGraph(Training.defaults()).configuration(),
                config.inChannels(), config.inputHeight(), config.inputWidth()).parameters();
    }

    @Test
    void badJsonFailsNamingTheProblem() {
        String good = UNetConfig.classic(1, 2, 64, 64, 8, 3).toJson();
        failsWith(() -> ModelConfig.fromJson(good.replace("\"batchNorm\" : true,\n  \"decoderChannels\"",
                "\"batchnorm\" : true,\n  \"decoderChannels\"")), "batchnorm");
        failsWith(() -> ModelConfig.fromJson(good.replace("\"type\" : \"unet\"", "\"type\" : \"unet3d\"")), "unet3d");
        failsWith(() -> ModelConfig.fromJson(good.replace("\"inputHeight\" : 64", "\"inputHeight\" : 66")),
                "invalid ModelConfig JSON", "pad the input to 72x64");
        failsWith(() -> ModelConfig.fromJson("{\"type\": \"unet\""), "cannot read ModelConfig JSON");
    }

    @Test
    void modelsAreCreatedByName() {
        assertEquals(List.of("fcn8s", "fcn16s", "fcn32s", "unet", "unetplusplus", "segnet", "pspnet", "deeplabv3plus"),
                SegmentationModels.names());
        assertInstanceOf(UNetConfig.class, SegmentationModels.config("unet", 1, 2, 64, 64));
        assertEquals(FcnVariant.FCN_16S, ((FcnConfig) SegmentationModels.config("FCN-16s", 3, 21, 64, 64)).variant());
        assertInstanceOf(UNetPlusPlusConfig.class, SegmentationModels.config("UNet++", 1, 2, 64, 64));
        assertInstanceOf(DeepLabV3PlusConfig.class, SegmentationModels.config("deeplabv3+", 3, 21, 64, 64));
        for (String name : SegmentationModels.names()) {
            assertEquals(3, SegmentationModels.config(name, 3, 5, 64, 64).inChannels(), name);
        }
        failsWith(() -> SegmentationModels.config("mask-rcnn", 3, 2, 64, 64), "unknown architecture 'mask-rcnn'",
                "unet", "deeplabv3plus");
        SegmentationModel small = SegmentationModels.create("unet", 1, 2, 16, 16);
        assertEquals(31_036_546L - 64 * 2 - 2 + 64 * 2 + 2, small.parameterCount(),
                "the default U-Net (base 64, depth 4) has PyTorch's 31,036,546 parameters for 2 classes");
    }
}
