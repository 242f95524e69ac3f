package io.segnet.cli;

import io.segnet.data.source.FolderSource;
import io.segnet.models.ModelConfig;
import io.segnet.models.ModelGraph;
import io.segnet.models.SegmentationModels;
import io.segnet.models.Training;
import io.segnet.train.ConfigFiles;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every settings file in {@code examples/configs/} loads the way {@code segnet train --config FILE} loads it (a
 * stale or misspelt key fails here), its model config builds a graph for its data, and together they cover every
 * architecture.
 */
class ExampleConfigsTest {
    private static final Path CONFIGS = Path.of("..", "examples", "configs");

    private static List<Path> configs() throws IOException {
        try (Stream<Path> s = Files.list(CONFIGS)) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @Test
    void everyExampleConfigLoadsAndBuildsItsModel() throws IOException {
        List<Path> files = configs();
        assertTrue(files.size() >= 10, "the example configs: " + files);
        Set<String> architectures = new TreeSet<>();
        for (Path f : files) {
            RunSpec spec = RunSpec.load(f, ConfigFiles.JSON.createObjectNode());
            FolderSource data = (FolderSource) spec.data().source();
            assertTrue(Files.readString(f).startsWith("#"), f + " starts with a comment saying what it is");
            List<Integer> crop = spec.data().augmentation().crop();
            ModelConfig model = spec.modelConfig(3, data.numClasses(), crop.get(0), crop.get(1));
            ModelGraph graph = model.buildGraph(Training.defaults());
            assertFalse(graph.outputs().isEmpty(), f.toString());
            assertEquals(data.numClasses(), model.numClasses(), f.toString());
            String name = f.getFileName().toString().replace(".yaml", "");
            if (SegmentationModels.names().contains(name)) {
                architectures.add(name);
            }
        }
        Set<String> expected = new TreeSet<>(SegmentationModels.names());
        expected.remove("quickstart");
        assertEquals(expected, architectures, "one example config per architecture, named after it");
    }

    @Test
    void theFolderDataExamplesSetAnIgnoreValueAndClassWeights() throws IOException {
        RunSpec plain = RunSpec.load(CONFIGS.resolve("folder-data.yaml"), ConfigFiles.JSON.createObjectNode());
        assertEquals(11, ((FolderSource) plain.data().source()).ignoreValue());
        RunSpec weighted = RunSpec.load(CONFIGS.resolve("folder-data-weighted.yaml"),
                ConfigFiles.JSON.createObjectNode());
        ModelConfig m = weighted.modelConfig(3, 11, 352, 480);
        assertEquals(11, m.loss().classWeights().size());
        assertEquals(11, ((FolderSource) weighted.data().source()).ignoreValue());
    }
}
