package io.segnet.models;

import io.segnet.core.layers.TransposedConv2D;
import io.segnet.core.loss.SegmentationLoss;
import io.segnet.models.encoder.ResNetConfig;
import io.segnet.models.encoder.SmallEncoderConfig;
import io.segnet.models.encoder.Vgg16Config;
import io.segnet.models.fcn.FcnConfig;
import io.segnet.models.fcn.FcnVariant;
import io.segnet.models.pspnet.PSPNetConfig;
import io.segnet.models.unet.UNetConfig;
import io.segnet.models.unetplusplus.UNetPlusPlus;
import io.segnet.models.unetplusplus.UNetPlusPlusConfig;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Architecture-specific behaviour beyond shapes: pruning, auxiliary weights, FCN's upsampling, input checks. */
class ArchitectureDetailsTest {

    @Test
    void deepSupervisionAveragesTheHeadsAndPruningKeepsHeadP() {
        UNetPlusPlusConfig config = UNetPlusPlusConfig.of(1, 3, 32, 32, 4, 3);
        SegmentationModel full = SegmentationModels.create(config);
        INDArray[] batch = TestData.batch(7, 2, 1, 32, 32, 3);
        for (int i = 0; i < 3; i++) {
            full.fit(batch[0], batch[1]);
        }
        INDArray x = TestData.images(8, 2, 1, 32, 32);
        INDArray[] heads = full.graph().output(full.logitOutputs(), false, new INDArray[]{x}, null);
        assertEquals(3, heads.length);
        INDArray mean = heads[0].add(heads[1]).addi(heads[2]).divi(3);
        assertTrue(mean.equalsWithEps(full.logits(x), 1e-5), "logits are the mean of the deep-supervision heads");

        SegmentationModel pruned = UNetPlusPlus.prune(full, 2);
        assertEquals(2, ((UNetPlusPlusConfig) pruned.config()).inferenceDepth());
        assertEquals(List.of("head2.loss"), pruned.logitOutputs());
        assertTrue(pruned.parameterCount() < full.parameterCount());
        assertTrue(heads[1].equalsWithEps(pruned.logits(x), 1e-5), "the pruned network computes head 2 exactly");
        assertEquals(full.card(), pruned.card());

        SegmentationModel single = SegmentationModels.create(new UNetPlusPlusConfig(1, 3, 32, 32,
                new SmallEncoderConfig(4, 3, true), Upsampling.TRANSPOSED, true, false, 0, List.of(), null));
        assertEquals(List.of("head3.loss"), single.logitOutputs());
        assertThrows(IllegalArgumentException.class, () -> UNetPlusPlus.prune(single, 2));
    }

    @Test
    void pspNetsAuxiliaryHeadWeighsPointFourAndOnlyTrains() {
        PSPNetConfig config = new PSPNetConfig(3, 4, 32, 32, new ResNetConfig(18, 8, 4, null), List.of(1, 2, 3, 6), 0,
                8, true, 4, 0.4, LossConfig.crossEntropy());
        SegmentationModel model = SegmentationModels.create(config);
        SegmentationLoss aux = (SegmentationLoss) ((LayerVertex) model.graph().getConfiguration().getVertices()
                .get("aux.loss")).getLayerConf().getLayer();
        SegmentationLoss main = (SegmentationLoss) ((LayerVertex) model.graph().getConfiguration().getVertices()
                .get("head.loss")).getLayerConf().getLayer();
        assertEquals(0.4, aux.getOutputWeight());
        assertEquals(1.0, main.getOutputWeight());
        assertEquals(List.of("head.loss"), model.logitOutputs());
        // The auxiliary head reads layer3 (stride 8 at output stride 8, 4 x 4 = 16 channels).
        assertEquals(List.of("encoder.layer3.block1.out"),
                model.graph().getConfiguration().getVertexInputs().get("aux.conv.conv"));
        for (int bins : List.of(1, 2, 3, 6)) {
            assertTrue(model.graph().getConfiguration().getVertices().containsKey("ppm.bin" + bins + ".pool"));
        }
    }

    @Test
    void fcnUpsamplesWithBilinearInitialisedTransposedConvolutionsAndCrops() {
        FcnConfig config = new FcnConfig(1, 3, 64, 64, new Vgg16Config(4, false), FcnVariant.FCN_8S,
                Upsampling.TRANSPOSED, 8, 3, 8, null);
        SegmentationModel model = SegmentationModels.create(config);
        var vertices = model.graph().getConfiguration().getVertices();
        int[][] kernels = {{16, 4, 2}, {8, 4, 2}, {1, 16, 8}};
        String[] scopes = {"fuse16", "fuse8", "output"};
        for (int i = 0; i < scopes.length; i++) {
            TransposedConv2D up = (TransposedConv2D) ((LayerVertex) vertices.get(scopes[i] + ".up")).getLayerConf()
                    .getLayer();
            assertEquals(kernels[i][1], up.getKernel(), scopes[i]);
            assertEquals(kernels[i][2], up.getStride(), scopes[i]);
            assertTrue(vertices.containsKey(scopes[i] + ".crop"), scopes[i]);
        }
        // Bilinear initialisation of the 2x upsampling of pool5's scores: each class maps to itself with the
        // kernel (1 - |i - 1.5| / 2)(1 - |j - 1.5| / 2), other class pairs 0.
        INDArray w = model.graph().getLayer("fuse16.up").getParam("W");
        assertEquals(0.5625, w.getDouble(0, 0, 1, 1), 1e-6);
        assertEquals(0.0625, w.getDouble(2, 2, 0, 0), 1e-6);
        assertEquals(0.0, w.getDouble(0, 1, 1, 1), 1e-9);
        assertEquals(List.of("fuse16.crop", "fuse16.score"),
                model.graph().getConfiguration().getVertexInputs().get("fuse16.sum"));
    }

    @Test
    void imagesAreCheckedBeforeTheGraphRuns() {
        SegmentationModel model = SegmentationModels.create(UNetConfig.classic(3, 2, 32, 32, 4, 2));
        IllegalArgumentException nhwc = assertThrows(IllegalArgumentException.class,
                () -> model.logits(TestData.images(1, 2, 32, 32, 3)));
        assertTrue(nhwc.getMessage().contains("[N, 3, H, W]") && nhwc.getMessage().contains("NHWC"),
                nhwc.getMessage());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> model.logits(TestData.images(1, 2, 3, 30, 32)));
        assertTrue(size.getMessage().contains("pad the input to 32x32"), size.getMessage());
        IllegalArgumentException labels = assertThrows(IllegalArgumentException.class,
                () -> model.fit(TestData.images(1, 2, 3, 32, 32), TestData.images(1, 2, 2, 32, 32)));
        assertTrue(labels.getMessage().contains("[2, 1, 32, 32]"), labels.getMessage());
        assertArrayEquals(new long[]{1, 2, 36, 40}, model.logits(TestData.images(1, 1, 3, 36, 40)).shape(),
                "any accepted size runs, not only the build size");
    }

    @Test
    void aOneClassModelPredictsOneWhereTheLogitIsPositive() {
        SegmentationModel model = SegmentationModels.create(UNetConfig.classic(1, 1, 16, 16, 2, 1));
        INDArray x = TestData.images(3, 2, 1, 16, 16);
        // Shift the classifier's bias by the median logit, so that about half of the pixels are positive.
        double median = model.logits(x).medianNumber().doubleValue();
        model.graph().getLayer("head.classifier").getParam("b").subi(median);
        INDArray z = model.logits(x);
        INDArray p = model.predict(x);
        assertEquals(z.gt(0.0).castTo(org.nd4j.linalg.api.buffer.DataType.INT32), p);
        int ones = p.sumNumber().intValue();
        assertTrue(ones > 100 && ones < 2 * 16 * 16 - 100, "both classes occur: " + ones + " ones");
    }
}
