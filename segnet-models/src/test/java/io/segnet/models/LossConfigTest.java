package io.segnet.models;

import io.segnet.common.json.JsonMappers;
import io.segnet.core.loss.SegmentationLoss;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LossConfigTest {

    @Test
    void jsonWrittenBeforeTheImbalanceTermsStillLoads() {
        LossConfig old = JsonMappers.read("{\"crossEntropyWeight\": 1, \"diceWeight\": 0.5, \"classWeights\": [1, 2],"
                + " \"ignoreIndex\": 255}", LossConfig.class);
        assertEquals(new LossConfig(1, 0.5, List.of(1.0, 2.0), 255), old);
        assertEquals(0.0, old.labelSmoothing());
        assertEquals(List.of(), old.terms());
    }

    /** A settings file's loss section may leave fields out: they take the documented defaults. */
    @Test
    void fieldsLeftOutTakeTheirDefaults() {
        assertEquals(LossConfig.crossEntropy(), JsonMappers.read("{}", LossConfig.class));
        assertEquals(LossConfig.crossEntropyDice(1, 1), JsonMappers.read("{\"diceWeight\": 1}", LossConfig.class));
        assertEquals(LossConfig.crossEntropy().withClassWeights(List.of(0.5, 2.0)),
                JsonMappers.read("{\"classWeights\": [0.5, 2]}", LossConfig.class));
    }

    @Test
    void everyTermRoundTripsUnderItsTypeTag() {
        LossConfig config = LossConfig.crossEntropyDice(1, 0.5).withLabelSmoothing(0.1)
                .plus(new LossTerm.Focal(0.5, 2, 0.25), new LossTerm.Tversky(0.7, 0.3, 0.7));
        String json = JsonMappers.write(config);
        assertTrue(json.contains("\"type\" : \"focal\"") && json.contains("\"type\" : \"tversky\""), json);
        assertEquals(config, JsonMappers.read(json, LossConfig.class));
        LossConfig jaccard = LossConfig.of(new LossTerm.Jaccard(1), new LossTerm.Focal(1, 2, null));
        assertEquals(jaccard, JsonMappers.read(JsonMappers.write(jaccard), LossConfig.class));
        LossConfig read = JsonMappers.read("{\"crossEntropyWeight\": 0, \"diceWeight\": 0, \"classWeights\": [],"
                + " \"ignoreIndex\": 255, \"terms\": [{\"type\": \"jaccard\", \"weight\": 2}]}", LossConfig.class);
        assertEquals(List.of(new LossTerm.Jaccard(2)), read.terms());
    }

    @Test
    void theLayerCarriesEveryTerm() {
        SegmentationLoss layer = LossConfig.crossEntropy().withLabelSmoothing(0.2).withClassWeights(List.of(1.0, 2.0, 3.0))
                .plus(new LossTerm.Focal(0.5, 1.5, null), new LossTerm.Jaccard(0.3)).layer(3, 1);
        assertEquals(0.2, layer.getLabelSmoothing());
        assertEquals(0.5, layer.getFocalWeight());
        assertEquals(1.5, layer.getFocalGamma());
        assertTrue(layer.getFocalAlpha() < 0);
        assertEquals(0.3, layer.getTverskyWeight());
        assertEquals(1.0, layer.getTverskyAlpha());
        assertEquals(1.0, layer.getTverskyBeta());
    }

    @Test
    void lovaszAndOhemRoundTripAndReachTheLayerWithTheClassWeights() {
        LossConfig config = LossConfig.of(new LossTerm.Lovasz(1, true), new LossTerm.Ohem(0.5, 0.7, 1000))
                .withClassWeights(List.of(1.0, 3.0));
        String json = JsonMappers.write(config);
        assertTrue(json.contains("\"type\" : \"lovasz\"") && json.contains("\"type\" : \"ohem\""), json);
        assertEquals(config, JsonMappers.read(json, LossConfig.class));
        SegmentationLoss layer = config.layer(2, 1);
        assertEquals(1.0, layer.getLovaszWeight());
        assertTrue(layer.isLovaszPerImage());
        assertEquals(0.5, layer.getOhemWeight());
        assertEquals(0.7, layer.getOhemThresh());
        assertEquals(1000, layer.getOhemMinKept());
        assertEquals(3.0, layer.getClassWeights()[1]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LossTerm.Ohem(1, 0, 10));
        assertTrue(e.getMessage().contains("thresh"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LossConfig.of(new LossTerm.Lovasz(1, false), new LossTerm.Lovasz(2, true)));
        assertTrue(e.getMessage().contains("at most one"), e.getMessage());
    }

    @Test
    void badTermsFailWithWhatToChange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LossTerm.Tversky(1, 0, 0));
        assertTrue(e.getMessage().contains("not both 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LossTerm.Focal(1, 2, 1.5));
        assertTrue(e.getMessage().contains("alpha"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LossConfig.crossEntropy().withLabelSmoothing(1));
        assertTrue(e.getMessage().contains("labelSmoothing"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LossConfig.of(new LossTerm.Jaccard(1), new LossTerm.Tversky(1, 0.3, 0.7)));
        assertTrue(e.getMessage().contains("at most one"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ConfigChecks.loss("UNetConfig", LossConfig.of(new LossTerm.Focal(1, 2, null)), 1));
        assertTrue(e.getMessage().contains("numClasses = 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> JsonMappers.read("{\"crossEntropyWeight\": 1,"
                + " \"diceWeight\": 0, \"classWeights\": [], \"ignoreIndex\": 255, \"terms\": [{\"type\": \"boundary\","
                + " \"weight\": 1}]}", LossConfig.class));
        assertTrue(e.getMessage().contains("boundary"), e.getMessage());
    }
}
