package io.segnet.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every config in {@code param_counts.json} (written by segnet-core/src/test/python/model_param_counts.py from
 * PyTorch reference implementations of the same configs, including the benchmark's modules of torch_reference.py,
 * which segnet-bench's BenchmarkModelsTest matches with its configs)
 * builds a graph with exactly PyTorch's trainable parameters and batch-norm running statistics. The graphs are only
 * configured, never allocated, so the full-size models (FCN-8s: 134M parameters) cost nothing.
 */
class ParamCountsTest {

    static List<Arguments> cases() throws IOException {
        try (InputStream in = ParamCountsTest.class.getResourceAsStream("/param_counts.json")) {
            assertNotNull(in, "param_counts.json is missing; run segnet-core/src/test/python/model_param_counts.py");
            JsonNode root = new ObjectMapper().readTree(in);
            List<Arguments> out = new ArrayList<>();
            for (JsonNode c : root.get("cases")) {
                out.add(Arguments.of(c.get("name").asText(), c.get("config").toString(), c.get("parameters").asLong(),
                        c.get("statistics").asLong()));
            }
            assertTrue(out.size() >= 30, "expected the full case list, got " + out.size());
            return out;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void parameterCountsEqualPyTorch(String name, String json, long parameters, long statistics) {
        ModelConfig config = ModelConfig.fromJson(json);
        ModelGraph graph = config.buildGraph(Training.defaults());
        ModelSummary summary = ModelSummary.of(config.typeName(), graph.configuration(), config.inChannels(),
                config.inputHeight(), config.inputWidth());
        assertEquals(parameters, summary.parameters(), name + ": trainable parameters");
        assertEquals(statistics, summary.statistics(), name + ": running statistics");
        assertEquals(config, ModelConfig.fromJson(config.toJson()), name + ": JSON round trip");
    }
}
