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

    @Test
    void theBenchmarkConfigsAreTheOnesCheckedAgainstTorchReference() throws IOException {
        Map<String, ModelConfig> golden = new HashMap<>();
        try (InputStream in = BenchmarkModelsTest.class.getResourceAsStream("/param_counts.json")) {
            assertNotNull(in, "param_counts.json (segnet-models' test jar) is not on the test class path");
            for (JsonNode c : new ObjectMapper().readTree(in).get("cases")) {
                golden.put(c.get("name").asText(), ModelConfig.fromJson(c.get("config").toString()));
            }
        }
        Map<String, ModelConfig> bench = Map.of("bench_M1_unet", BenchmarkModels.unetM1(),
                "bench_M2_deeplabv3plus", BenchmarkModels.deeplabM2(), "bench_I1_fcn8s", BenchmarkModels.fcnI1());
        for (Map.Entry<String, ModelConfig> e : bench.entrySet()) {
            assertEquals(e.getValue(), golden.get(e.getKey()), e.getKey());
        }
    }
}
