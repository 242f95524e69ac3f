package io.segnet.core.graph;

import io.segnet.core.runtime.GradientBuffers;
import io.segnet.core.testutil.LayerHarness;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Concat} computes exactly what DL4J's {@code MergeVertex} does, and is one (config, JSON, runtime). */
class ConcatTest {

    @AfterEach
    void clear() {
        GradientBuffers.clear();
    }

    @Test
    void forwardAndBackwardEqualDl4jsMergeVertexBitForBit() {
        for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            long[][] shapes = {{3, 5, 7}, {1, 5, 7}, {4, 5, 7}};
            LayerHarness ours = LayerHarness.vertex(new Concat(), type, shapes);
            LayerHarness dl4j = LayerHarness.vertex(new MergeVertex(), type, shapes);
            Nd4j.getRandom().setSeed(7);
            INDArray[] x = {Nd4j.rand(type, 2, 3, 5, 7), Nd4j.rand(type, 2, 1, 5, 7), Nd4j.rand(type, 2, 4, 5, 7)};
            INDArray dy = Nd4j.rand(type, 2, 8, 5, 7);
            assertEquals(dl4j.forward(true, x), ours.forward(true, x), type + " output");
            INDArray[] expected = dl4j.backward(dy).inputs();
            INDArray[] got = ours.backward(dy).inputs();
            assertEquals(3, got.length);
            long start = 0;
            for (int i = 0; i < 3; i++) {
                assertEquals(expected[i], got[i], type + " gradient of input " + i);
                assertEquals(dy.get(NDArrayIndex.all(), NDArrayIndex.interval(start, start + x[i].size(1)),
                        NDArrayIndex.all(), NDArrayIndex.all()), got[i]);
                start += x[i].size(1);
                if (type == DataType.FLOAT) {
                    assertFalse(got[i].isView(), "a whole buffer of its own, from GradientBuffers");
                }
            }
        }
    }

    @Test
    void isAMergeVertexInConfigJsonAndRuntime() {
        ComputationGraphConfiguration conf = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
                .graphBuilder().addInputs("a", "b").addVertex("cat", new Concat(), "a", "b").setOutputs("cat")
                .setInputTypes(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(4, 4, 2),
                        org.deeplearning4j.nn.conf.inputs.InputType.convolutional(4, 4, 3))
                .build();
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
        assertInstanceOf(Concat.class, back.getVertices().get("cat"));
        assertInstanceOf(MergeVertex.class, back.getVertices().get("cat"));
        assertEquals(conf.getVertices().get("cat"), back.getVertices().get("cat"));
        assertInstanceOf(Concat.class, back.getVertices().get("cat").clone());
        org.deeplearning4j.nn.graph.ComputationGraph g = new org.deeplearning4j.nn.graph.ComputationGraph(back);
        g.init();
        assertTrue(g.getVertex("cat") instanceof org.deeplearning4j.nn.graph.vertex.impl.MergeVertex);
        INDArray out = g.outputSingle(Nd4j.ones(DataType.FLOAT, 1, 2, 4, 4), Nd4j.zeros(DataType.FLOAT, 1, 3, 4, 4));
        assertEquals(5, out.size(1));
        assertEquals(32.0, out.sumNumber().doubleValue(), 0.0);
    }
}
