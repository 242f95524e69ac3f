package io.segnet.models.graph;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A graph saved when the residual sum was {@code io.segnet.models.graph.AddRelu} still reads. */
@SuppressWarnings("deprecation")
class LegacyAddReluTest {

    @Test
    void graphJsonNamingTheOldClassLoads() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().graphBuilder()
                .addInputs("a", "b")
                .addVertex("sum", new io.segnet.core.graph.AddRelu(), "a", "b")
                .setOutputs("sum")
                .setInputTypes(InputType.convolutional(4, 4, 2), InputType.convolutional(4, 4, 2))
                .build();
        String json = conf.toJson();
        assertTrue(json.contains("io.segnet.core.graph.AddRelu"), json);
        String old = json.replace("io.segnet.core.graph.AddRelu", "io.segnet.models.graph.AddRelu");

        GraphVertex v = ComputationGraphConfiguration.fromJson(old).getVertices().get("sum");

        assertInstanceOf(io.segnet.core.graph.AddRelu.class, v);
        assertInstanceOf(AddRelu.class, v);
    }
}
