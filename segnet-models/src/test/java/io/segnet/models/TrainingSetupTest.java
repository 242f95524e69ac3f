package io.segnet.models;

import io.segnet.core.layers.SegnetLayer;
import io.segnet.models.unet.UNetConfig;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.regularization.WeightDecay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The training setup reaches every layer: optimiser, decoupled weight decay on weights only, seed. */
class TrainingSetupTest {

    private static SegnetLayer layer(SegmentationModel m, String name) {
        return (SegnetLayer) ((LayerVertex) m.graph().getConfiguration().getVertices().get(name)).getLayerConf()
                .getLayer();
    }

    @Test
    void weightDecayAppliesToConvolutionWeightsOnly() {
        UNetConfig config = UNetConfig.classic(1, 2, 16, 16, 2, 1);
        SegmentationModel m = SegmentationModels.create(config, Training.adam(1e-3).withWeightDecay(1e-4));
        SegnetLayer conv = layer(m, "encoder.stage0.conv1.conv");
        assertEquals(1, conv.getRegularizationByParam("W").size());
        assertInstanceOf(WeightDecay.class, conv.getRegularizationByParam("W").get(0));
        assertTrue(layer(m, "head.classifier").getRegularizationByParam("b").isEmpty(), "biases are not decayed");
        assertTrue(layer(m, "encoder.stage0.conv1.bn").getRegularizationByParam("gamma").isEmpty(),
                "batch-norm scales are not decayed");
        assertEquals(1e-3, ((Adam) conv.getIUpdater()).getLearningRate());
        // The graph's runtime layers decay once, too (DL4J's global weight decay would have added it twice).
        assertEquals(1, m.graph().getLayer("decoder.block0.conv2.conv").conf().getLayer()
                .getRegularizationByParam("W").size());
    }

    @Test
    void decoupledWeightDecayReplacesWhatALayerHad() {
        SegmentationModel m = SegmentationModels.create(UNetConfig.classic(1, 2, 16, 16, 2, 1),
                Training.adam(1e-3).withWeightDecay(1e-4));
        SegnetLayer conv = layer(m, "encoder.stage0.conv1.conv");
        DecoupledWeightDecay.set(conv, 0);
        assertTrue(conv.getRegularizationByParam("W").isEmpty(), "0 removes the decay");
        DecoupledWeightDecay.set(conv, 5e-4);
        assertEquals(1, conv.getRegularizationByParam("W").size());
        WeightDecay decay = (WeightDecay) conv.getRegularizationByParam("W").get(0);
        assertEquals(5e-4, decay.getCoeff().valueAt(0, 0));
        assertTrue(decay.isApplyLR(), "decoupled: scaled by the learning rate, next to the optimiser's step");
        assertTrue(conv.getRegularizationByParam("b").isEmpty(), "biases are not decayed");
        assertThrows(IllegalArgumentException.class, () -> DecoupledWeightDecay.set(conv, -1e-4));
    }

    @Test
    void theReportedLossLeavesOutTheWeightDecayPenalty() {
        UNetConfig config = UNetConfig.classic(1, 2, 16, 16, 2, 1);
        SegmentationModel plain = SegmentationModels.create(config, Training.adam(1e-3).withSeed(3));
        SegmentationModel decayed = SegmentationModels.create(config, Training.adam(1e-3).withSeed(3)
                .withWeightDecay(0.5));
        assertEquals(plain.graph().params(), decayed.graph().params());
        INDArray[] b = TestData.batch(7, 2, 1, 16, 16, 2);
        double penalty = decayed.graph().calcRegularizationScore(true);
        assertTrue(penalty > 0.1, "the penalty DL4J would add is not negligible here: " + penalty);
        assertEquals(plain.loss(b[0], b[1]), decayed.loss(b[0], b[1]), 1e-5);
        // Same weights before the step, so the same loss; the step itself differs (the decay moves the weights).
        assertEquals(plain.fit(b[0], b[1]), decayed.fit(b[0], b[1]), 1e-5);
        assertNotEquals(plain.graph().params(), decayed.graph().params());
    }

    @Test
    void theSeedDecidesTheInitialWeightsAndIsRecorded() {
        UNetConfig config = UNetConfig.classic(1, 2, 16, 16, 2, 1);
        SegmentationModel a = SegmentationModels.create(config, Training.defaults().withSeed(1));
        SegmentationModel b = SegmentationModels.create(config, Training.defaults().withSeed(1));
        SegmentationModel c = SegmentationModels.create(config, Training.defaults().withSeed(2));
        assertEquals(a.graph().params(), b.graph().params());
        assertNotEquals(a.graph().params(), c.graph().params());
        assertEquals(2, c.card().seed());
        assertThrows(IllegalArgumentException.class, () -> Training.adam(0));
        assertThrows(IllegalArgumentException.class, () -> Training.defaults().withWeightDecay(-1));
    }
}
