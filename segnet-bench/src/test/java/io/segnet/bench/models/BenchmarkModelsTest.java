package io.segnet.bench.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segnet.models.ModelConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The benchmark's model configs are the ones of segnet-models' {@code param_counts.json} (from segnet-models' test
 * jar), whose parameter counts segnet-models' ParamCountsTest checks against torch_reference.py's modules.
 */
class BenchmarkModelsTest {

    private static Map<String, ModelConfig> golden() throws IOException {
        Map<String, ModelConfig> golden = new HashMap<>();
        try (InputStream in = BenchmarkModelsTest.class.getResourceAsStream("/param_counts.json")) {
            assertNotNull(in, "param_counts.json (segnet-models' test jar) is not on the test class path");
            for (JsonNode c : new ObjectMapper().readTree(in).get("cases")) {
                golden.put(c.get("name").asText(), ModelConfig.fromJson(c.get("config").toString()));
            }
        }
        return golden;
    }

    @Test
    void theBenchmarkConfigsAreTheOnesCheckedAgainstTorchReference() throws IOException {
        Map<String, ModelConfig> golden = golden();
        Map<String, ModelConfig> bench = Map.of("bench_M1_unet", BenchmarkModels.unetM1(),
                "bench_M2_deeplabv3plus", BenchmarkModels.deeplabM2(), "bench_I1_fcn8s", BenchmarkModels.fcnI1());
        for (Map.Entry<String, ModelConfig> e : bench.entrySet()) {
            assertEquals(e.getValue(), golden.get(e.getKey()), e.getKey());
        }
    }

    /**
     * The realistic-size benchmark's configs are in param_counts.json too (as realistic_CASE), so ParamCountsTest
     * checks that segnet builds them with PyTorch's parameter counts, the models realistic_benchmark.py times.
     */
    @Test
    void theRealisticCasesAreTheOnesCheckedAgainstPyTorch() throws IOException {
        Map<String, ModelConfig> golden = golden();
        Map<String, RealisticBenchmark.Case> cases = RealisticBenchmark.cases();
        assertEquals(12, cases.size(), "inference and training of six models");
        for (RealisticBenchmark.Case c : cases.values()) {
            String key = "realistic_" + c.name().replace('-', '_');
            assertEquals(golden.get(key), c.config(), key + " in param_counts.json (rerun model_param_counts.py)");
            assertEquals(c.train() ? 2 : 1, c.batch(), c.name());
        }
    }
}
