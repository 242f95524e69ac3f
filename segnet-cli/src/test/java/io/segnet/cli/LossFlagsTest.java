package io.segnet.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.segnet.models.LossConfig;
import io.segnet.models.LossTerm;
import io.segnet.models.ModelConfig;
import io.segnet.models.Upsampling;
import io.segnet.models.encoder.SmallEncoderConfig;
import io.segnet.models.unet.UNetConfig;
import io.segnet.train.ConfigFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LossFlagsTest {

    @TempDir
    static Path dir;

    @Test
    void termsParseWithOptionalWeights() {
        assertEquals(Map.of("ce", 1.0, "dice", 0.5), LossFlags.terms("ce+dice:0.5"));
        assertEquals(List.of("focal", "lovasz"), List.copyOf(LossFlags.terms("Focal:2, lovasz").keySet()));
        UsageException e = assertThrows(UsageException.class, () -> LossFlags.terms("ce+dcie"));
        assertTrue(e.getMessage().contains("unknown loss 'dcie'") && e.getMessage().contains(
                "ce, dice, jaccard, focal, tversky, lovasz, ohem"), e.getMessage());
        e = assertThrows(UsageException.class, () -> LossFlags.terms("ce:heavy"));
        assertTrue(e.getMessage().contains("not a number"), e.getMessage());
        e = assertThrows(UsageException.class, () -> LossFlags.terms("ce+ce:2"));
        assertTrue(e.getMessage().contains("twice"), e.getMessage());
        e = assertThrows(UsageException.class, () -> LossFlags.terms("jaccard+tversky"));
        assertTrue(e.getMessage().contains("one of jaccard and tversky"), e.getMessage());
        e = assertThrows(UsageException.class, () -> LossFlags.terms("ce:0"));
        assertTrue(e.getMessage().contains("> 0"), e.getMessage());
    }

    /** Every kind of term reaches the model's LossConfig through a name-only model section. */
    @Test
    void everyLossKindReachesTheModelConfig() {
        LossFlags f = new LossFlags();
        f.loss = "ce:0.5+dice+focal+tversky+lovasz+ohem:0.3";
        f.labelSmoothing = 0.1;
        f.focalGamma = 1.5;
        f.focalAlpha = 0.25;
        f.tverskyAlpha = 0.4;
        f.tverskyBeta = 0.6;
        f.lovaszPerImage = true;
        f.ohemThresh = 0.6;
        f.ohemMinKept = 500;
        f.classWeights = "1,2,3,4";
        ObjectNode model = ConfigFiles.JSON.createObjectNode().put("name", "unet");
        model.set("loss", f.section());
        ObjectNode overrides = ConfigFiles.JSON.createObjectNode();
        overrides.set("model", model);
        ModelConfig c = RunSpec.load(null, overrides).modelConfig(3, 4, 64, 64);
        LossConfig loss = c.loss();
        assertEquals(0.5, loss.crossEntropyWeight());
        assertEquals(1.0, loss.diceWeight());
        assertEquals(0.1, loss.labelSmoothing());
        assertEquals(List.of(1.0, 2.0, 3.0, 4.0), loss.classWeights());
        assertEquals(List.of(new LossTerm.Focal(1, 1.5, 0.25),
                new LossTerm.Tversky(1, 0.4, 0.6), new LossTerm.Lovasz(1, true), new LossTerm.Ohem(0.3, 0.6, 500)),
                loss.terms());
        assertEquals(255, loss.ignoreIndex(), "the model's ignore index stays");
        LossFlags jaccard = new LossFlags();
        jaccard.loss = "jaccard:0.2";
        model.set("loss", jaccard.section());
        loss = RunSpec.load(null, overrides).modelConfig(3, 4, 64, 64).loss();
        assertEquals(List.of(new LossTerm.Jaccard(0.2)), loss.terms());
        assertEquals(0.0, loss.crossEntropyWeight());
    }

    @Test
    void yamlKeysSetTheLossOfANamedModel() throws IOException {
        Path yaml = dir.resolve("loss.yaml");
        Files.writeString(yaml, """
                model:
                  name: unet
                  loss:
                    crossEntropyWeight: 1
                    diceWeight: 0
                    classWeights: [1, 3]
                    terms:
                      - {type: ohem, weight: 1, thresh: 0.7, minKept: 1000}
                """);
        LossConfig loss = RunSpec.load(yaml, ConfigFiles.JSON.createObjectNode()).modelConfig(3, 2, 64, 64).loss();
        assertEquals(List.of(new LossTerm.Ohem(1, 0.7, 1000)), loss.terms());
        assertEquals(List.of(1.0, 3.0), loss.classWeights());
    }

    @Test
    void mistakesAreUsageErrors() {
        String out = dir.resolve("never").toString();
        CliTest.Run r = CliTest.run("train", "--loss", "ce+dcie", "--output", out);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("valid names: ce, dice"), r.err());
        r = CliTest.run("train", "--focal-gamma", "3", "--loss", "ce", "--output", out);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("add focal to --loss"), r.err());
        r = CliTest.run("train", "--class-weights", "1,x", "--output", out);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--class-weights"), r.err());
        UsageException e = assertThrows(UsageException.class, () -> {
            LossFlags f = new LossFlags();
            f.classWeights = "1,2,3";
            ObjectNode model = ConfigFiles.JSON.createObjectNode().put("name", "unet");
            model.set("loss", f.section());
            ObjectNode overrides = ConfigFiles.JSON.createObjectNode();
            overrides.set("model", model);
            RunSpec.load(null, overrides).modelConfig(3, 2, 64, 64);
        });
        assertTrue(e.getMessage().contains("3 weights") && e.getMessage().contains("--num-classes"), e.getMessage());
    }

    /** --loss and --class-weights auto on a tiny run: the table is printed and config.yaml holds the loss. */
    @Test
    void autoWeightsArePrintedAndTheLossIsWrittenToTheRunConfig() throws IOException {
        Path m2 = dir.resolve("m2");
        CliTest.Run g = CliTest.run("generate-m2nist", "--output", m2.toString(), "--train", "8", "--validation",
                "4", "--seed", "5");
        assertEquals(0, g.code(), g.err());
        Path modelJson = dir.resolve("tiny.json");
        Files.writeString(modelJson, new UNetConfig(1, 11, 64, 84, new SmallEncoderConfig(4, 2, true),
                Upsampling.TRANSPOSED, true, List.of(), LossConfig.crossEntropy()).toJson());
        Path out = dir.resolve("runs/loss");
        CliTest.Run t = CliTest.run("train", "--data", "folder", "--images", m2.resolve("train/image").toString(),
                "--masks", m2.resolve("train/mask").toString(), "--val-images",
                m2.resolve("validation/image").toString(), "--val-masks", m2.resolve("validation/mask").toString(),
                "--num-classes", "11", "--model-config", modelJson.toString(), "--loss", "ce+dice:0.5+lovasz:0.5",
                "--class-weights", "auto", "--iterations", "2", "--batch-size", "4", "--no-progress", "--output",
                out.toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("class weights (--class-weights auto"), t.out());
        String config = Files.readString(out.resolve("config.yaml"));
        assertTrue(config.contains("type: \"lovasz\"") || config.contains("type: lovasz"), config);
        assertTrue(config.contains("diceWeight: 0.5"), config);
        ModelConfig written = RunSpec.load(out.resolve("config.yaml"), ConfigFiles.JSON.createObjectNode())
                .modelConfig(1, 11, 64, 84);
        assertEquals(11, written.loss().classWeights().size());
        List<Double> w = written.loss().classWeights();
        assertTrue(w.get(10) > 0 && w.get(10) < 1, "background is the most frequent class: " + w);
        assertEquals(w.contains(0.0), t.out().contains("occurs in no training mask"), t.out());
    }
}
