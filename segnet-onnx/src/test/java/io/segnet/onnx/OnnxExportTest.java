package io.segnet.onnx;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OrtSession;
import io.segnet.models.LossConfig;
import io.segnet.models.ModelConfig;
import io.segnet.models.SegmentationModel;
import io.segnet.models.SegmentationModels;
import io.segnet.models.SmallArchitectures;
import io.segnet.models.Upsampling;
import io.segnet.models.deeplab.DeepLabV3PlusConfig;
import io.segnet.models.fcn.FcnConfig;
import io.segnet.models.fcn.FcnVariant;
import io.segnet.models.pspnet.PSPNetConfig;
import io.segnet.models.segnet.SegNetConfig;
import io.segnet.models.unet.UNetConfig;
import io.segnet.models.unetplusplus.UNetPlusPlusConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static io.segnet.models.SmallArchitectures.R18;
import static io.segnet.models.SmallArchitectures.R34_OS16;
import static io.segnet.models.SmallArchitectures.R50_OS8;
import static io.segnet.models.SmallArchitectures.SMALL;
import static io.segnet.models.SmallArchitectures.VGG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every architecture, on every encoder family, with each upsampling mode and the smp and torchvision presets,
 * exported with dynamic batch and size, runs in ONNX Runtime (all graph optimisations) and gives segnet's logits and
 * class map at an odd size where the architecture allows one, with batch norm folded and not. Small widths keep this
 * fast; batch norms carry random statistics.
 */
class OnnxExportTest {

    static Stream<Arguments> models() {
        UNetConfig unet = SmallArchitectures.unet();
        UNetPlusPlusConfig unetpp = SmallArchitectures.unetPlusPlus();
        FcnConfig fcn = SmallArchitectures.fcn();
        SegNetConfig segnet = SmallArchitectures.segNet();
        PSPNetConfig psp = SmallArchitectures.pspNet();
        DeepLabV3PlusConfig deeplab = SmallArchitectures.deepLab();
        return Stream.of(
                // name, config, two test sizes (the second, where one is allowed, not the build size)
                Arguments.of("U-Net small transposed", unet, 32, 40, 48, 24),
                Arguments.of("U-Net small bilinear", unet.withUpsampling(Upsampling.BILINEAR), 35, 29, 41, 30),
                Arguments.of("U-Net VGG16 bilinear", unet.withUpsampling(Upsampling.BILINEAR).withInputSize(33, 47)
                        .withEncoder(VGG), 33, 47, 50, 37),
                Arguments.of("U-Net ResNet-18 smp (nearest)", UNetConfig.smp(3, 3, 64, 64, R18), 64, 32, 96, 64),
                Arguments.of("UNet++ small bilinear", unetpp.withUpsampling(Upsampling.BILINEAR), 37, 30, 33, 45),
                Arguments.of("UNet++ deep supervision pruned to 2", unetpp.withInferenceDepth(2), 32, 40, 48, 24),
                Arguments.of("UNet++ smp ResNet-18 (nearest)", UNetPlusPlusConfig.smp(3, 3, 64, 64, R18), 64, 64, 32,
                        96),
                Arguments.of("FCN-8s VGG16 transposed", fcn, 64, 96, 96, 64),
                Arguments.of("FCN-16s VGG16 transposed", fcn.withVariant(FcnVariant.FCN_16S), 32, 64, 64, 32),
                Arguments.of("FCN-32s VGG16 transposed", fcn.withVariant(FcnVariant.FCN_32S), 64, 64, 32, 96),
                Arguments.of("FCN-8s ResNet-18 bilinear", fcn.withEncoder(R18).withUpsampling(Upsampling.BILINEAR),
                        37, 41, 45, 33),
                Arguments.of("SegNet VGG16-BN (max unpooling)", segnet, 67, 45, 64, 64),
                Arguments.of("SegNet small", segnet.withEncoder(SMALL), 35, 37, 40, 32),
                Arguments.of("PSPNet ResNet-50 OS8", psp, 65, 49, 48, 56),
                Arguments.of("PSPNet VGG16", psp.withEncoder(VGG), 33, 35, 47, 37),
                Arguments.of("PSPNet smp ResNet-18", PSPNetConfig.smp(3, 4, 64, 64, R18), 64, 64, 53, 71),
                Arguments.of("torchvision FCN ResNet-50", PSPNetConfig.torchvisionFcn(3, 3, 32, 32, R50_OS8), 32, 32,
                        41, 35),
                Arguments.of("DeepLabv3+ ResNet-18 OS16", deeplab, 57, 61, 64, 48),
                Arguments.of("DeepLabv3+ ResNet-50 OS8 separable", deeplab.withEncoder(R50_OS8).withSeparable(true),
                        41, 39, 33, 48),
                Arguments.of("DeepLabv3+ smp ResNet-34 (align corners)", DeepLabV3PlusConfig.smp(3, 4, 64, 64,
                        R34_OS16), 64, 64, 50, 45),
                Arguments.of("torchvision DeepLabV3 ResNet-50", DeepLabV3PlusConfig.torchvisionDeepLabV3(3, 3, 32, 32,
                        R50_OS8, 16), 32, 32, 37, 29),
                Arguments.of("DeepLabv3+ VGG16", new DeepLabV3PlusConfig(3, 3, 64, 64, VGG, 8, List.of(1, 2, 3),
                        false, 4, 8, LossConfig.crossEntropy()), 64, 64, 45, 51),
                Arguments.of("one-class U-Net", new UNetConfig(1, 1, 32, 32, SMALL, Upsampling.BILINEAR, true,
                        List.of(), LossConfig.crossEntropy()), 32, 32, 27, 35));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void exportRunsInOnnxRuntimeAsInSegnet(String name, ModelConfig config, int h1, int w1, int h2, int w2)
            throws Exception {
        assertTrue(config.inputSizeRule().accepts(h1, w1) && config.inputSizeRule().accepts(h2, w2), name);
        SegmentationModel model = SegmentationModels.create(config);
        OnnxRuntimeCheck.randomiseBatchNorms(model, 7);
        for (boolean fold : new boolean[]{true, false}) {
            OnnxExport.Result r = OnnxExport.build(model, OnnxExportOptions.defaults().withFoldBatchNorm(fold)
                    .withClassMap(true), Map.of());
            assertEquals(0, r.model().getGraph().getNodeList().stream()
                            .filter(n -> fold && n.getOpType().equals("BatchNormalization")
                                    && convolutionFeeds(r.model(), n.getInput(0))).count(),
                    name + ": every batch norm right after a convolution is folded");
            dump(name + (fold ? "" : " unfolded"), r.model());
            try (OrtSession session = OnnxRuntimeCheck.session(r.model().toByteArray())) {
                // One session, two sizes and batch sizes: height, width and batch are dynamic.
                int seed = 1;
                for (int[] size : new int[][]{{2, h1, w1}, {1, h2, w2}}) {
                    INDArray x = OnnxRuntimeCheck.images(seed++, size[0], config.inChannels(), size[1], size[2]);
                    INDArray expected = model.logits(x);
                    OnnxRuntimeCheck.Outputs out = OnnxRuntimeCheck.run(session, x);
                    String what = name + (fold ? " (folded)" : " (BatchNormalization)") + " at " + size[1] + "x"
                            + size[2];
                    OnnxRuntimeCheck.assertAgrees(what, expected, out.logits());
                    INDArray classes = model.predict(x).castTo(out.classes().dataType());
                    double same = classes.eq(out.classes()).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)
                            .meanNumber().doubleValue();
                    assertTrue(same >= 0.9999, what + ": class map agrees on " + same * 100 + "%");
                }
            }
        }
    }

    /**
     * Writes the export to the folder named by system property {@code segnet.onnx.dumpDir}, if set, for ONNX's
     * checker ({@code src/test/python/check_onnx.py}).
     */
    private static void dump(String name, OnnxMl.ModelProto m) throws java.io.IOException {
        String dir = System.getProperty("segnet.onnx.dumpDir");
        if (dir != null) {
            java.nio.file.Path folder = java.nio.file.Files.createDirectories(java.nio.file.Path.of(dir));
            java.nio.file.Files.write(folder.resolve(name.replaceAll("[^A-Za-z0-9+-]+", "_") + ".onnx"),
                    m.toByteArray());
        }
    }

    /** Whether {@code value} is the output of a Conv or ConvTranspose node. */
    private static boolean convolutionFeeds(OnnxMl.ModelProto m, String value) {
        Set<String> convOutputs = new HashSet<>();
        m.getGraph().getNodeList().stream().filter(n -> n.getOpType().startsWith("Conv"))
                .forEach(n -> convOutputs.addAll(n.getOutputList()));
        return convOutputs.contains(value);
    }

    static {
        Nd4j.getRandom().setSeed(3);
    }
}
