package io.segnet.train;

import com.fasterxml.jackson.databind.JsonNode;
import io.segnet.train.schedule.ScheduleConfig;
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

class ConfigFilesTest {

    @TempDir
    Path dir;

    @Test
    void aPartialYamlFileIsLaidOverTheDefaults() throws IOException {
        Path f = Files.writeString(dir.resolve("t.yaml"), """
                epochs: 3
                optimizer: SGD
                learningRate: 0.01
                schedule:
                  type: cosine
                  warmupIterations: 20
                bestMetric: pixelAccuracy
                outputWeights:
                  aux.loss: 0.4
                """);
        TrainerConfig c = ConfigFiles.read(f, TrainerConfig.class, TrainerConfig.defaults());
        assertEquals(3, c.epochs());
        assertEquals(OptimizerType.SGD, c.optimizer());
        assertEquals(0.01, c.learningRate());
        assertEquals(ScheduleConfig.Type.COSINE, c.schedule().type());
        assertEquals(20, c.schedule().warmupIterations());
        assertEquals(0.9, c.schedule().power(), "untouched nested fields keep their defaults");
        assertEquals(Metric.PIXEL_ACCURACY, c.bestMetric());
        assertEquals(Map.of("aux.loss", 0.4), c.outputWeights());
        assertEquals(8, c.batchSize());
    }

    @Test
    void yamlAndJsonRoundTrip() throws IOException {
        TrainerConfig c = TrainerConfig.defaults().withIterations(500).withSchedule(ScheduleConfig.step(100, 0.5))
                .withEarlyStopping(Metric.MEAN_DICE, 3, 0.001);
        Path y = Files.writeString(dir.resolve("c.yml"), ConfigFiles.toYaml(c));
        Path j = Files.writeString(dir.resolve("c.json"), ConfigFiles.toJson(c));
        assertEquals(c, ConfigFiles.read(y, TrainerConfig.class, TrainerConfig.defaults()));
        assertEquals(c, ConfigFiles.read(j, TrainerConfig.class, TrainerConfig.defaults()));
        assertTrue(Files.readString(y).contains("bestMetric: meanDice"), Files.readString(y));
    }

    @Test
    void mistakesNameTheFileTheFieldAndTheFix() throws IOException {
        Path typo = Files.writeString(dir.resolve("typo.yaml"), "epoch: 3\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigFiles.read(typo, TrainerConfig.class, TrainerConfig.defaults()));
        assertTrue(e.getMessage().contains("typo.yaml") && e.getMessage().contains("unknown setting 'epoch'")
                && e.getMessage().contains("epochs"), e.getMessage());

        Path both = Files.writeString(dir.resolve("both.yaml"), "iterations: 100\n");
        e = assertThrows(IllegalArgumentException.class,
                () -> ConfigFiles.read(both, TrainerConfig.class, TrainerConfig.defaults()));
        assertTrue(e.getMessage().contains("either in epochs or in iterations"), e.getMessage());

        Path word = Files.writeString(dir.resolve("word.yaml"), "batchSize: many\n");
        e = assertThrows(IllegalArgumentException.class,
                () -> ConfigFiles.read(word, TrainerConfig.class, TrainerConfig.defaults()));
        assertTrue(e.getMessage().contains("'many'") && e.getMessage().contains("batchSize"), e.getMessage());

        Path metric = Files.writeString(dir.resolve("metric.yaml"), "bestMetric: accuracy\n");
        e = assertThrows(IllegalArgumentException.class,
                () -> ConfigFiles.read(metric, TrainerConfig.class, TrainerConfig.defaults()));
        assertTrue(e.getMessage().contains("meanIoU, pixelAccuracy"), e.getMessage());

        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"epochs\": ");
        e = assertThrows(IllegalArgumentException.class, () -> ConfigFiles.readTree(broken));
        assertTrue(e.getMessage().contains("broken.json: not valid JSON"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConfigFiles.readTree(dir.resolve("x.txt")));
        e = assertThrows(IllegalArgumentException.class, () -> ConfigFiles.readTree(dir.resolve("missing.yaml")));
        assertTrue(e.getMessage().contains("no such settings file"), e.getMessage());
    }

    @Test
    void objectsMergeKeyByKeyAndValuesReplace() {
        JsonNode base = ConfigFiles.tree(Map.of("model", Map.of("type", "unet", "depth", 4, "widths", List.of(1, 2))));
        JsonNode over = ConfigFiles.tree(Map.of("model", Map.of("depth", 2, "widths", List.of(3))));
        JsonNode merged = ConfigFiles.merge(base, over);
        assertEquals("unet", merged.get("model").get("type").asText());
        assertEquals(2, merged.get("model").get("depth").asInt());
        assertEquals(1, merged.get("model").get("widths").size(), "arrays are replaced, not merged");
        assertEquals(4, base.get("model").get("depth").asInt(), "the base is not changed");
    }
}
