package io.segnet.core.runtime;

import io.segnet.core.graph.AddRelu;
import io.segnet.core.layers.BatchNorm;
import io.segnet.core.layers.Conv2D;
import io.segnet.core.layers.FusedActivation;
import io.segnet.core.loss.SegmentationLoss;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.NoOp;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link GraphInference} gives DL4J's {@code output()} bit for bit on a graph with branches, a residual sum, a
 * concatenation and a head that the requested output does not need; keeps the caller's inputs and earlier outputs
 * intact while it reuses its buffers; and holds a steady pool over repeated calls.
 */
class GraphInferenceTest {

    /**
     * in -> conv1 -> bn1 -> {conv2a, conv2b}; add = relu(conv2a + bn1); cat(add, conv2b) -> head -> loss; and
     * bn1 -> auxConv -> auxHead -> auxLoss.
     */
    private static ComputationGraph graph() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).seed(3)
                .updater(new NoOp()).weightInit(WeightInit.XAVIER).graphBuilder()
                .addInputs("in").setInputTypes(InputType.convolutional(12, 10, 2))
                .addLayer("conv1", new Conv2D(2, 6, 3).padding(1), "in")
                .addLayer("bn1", new BatchNorm(6).activation(FusedActivation.RELU), "conv1")
                .addLayer("conv2a", new Conv2D(6, 6, 3).padding(1), "bn1")
                .addLayer("conv2b", new Conv2D(6, 4, 1), "bn1")
                .addVertex("add", new AddRelu(), "conv2a", "bn1")
                .addVertex("cat", new MergeVertex(), "add", "conv2b")
                .addLayer("head", new Conv2D(10, 3, 1), "cat")
                .addLayer("loss", SegmentationLoss.crossEntropy(), "head")
                .addLayer("auxConv", new Conv2D(6, 8, 3).padding(1), "bn1")
                .addLayer("auxHead", new Conv2D(8, 3, 1), "auxConv")
                .addLayer("auxLoss", SegmentationLoss.crossEntropy(), "auxHead")
                .setOutputs("loss", "auxLoss").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    @Test
    void sameOutputsAsDl4jOverRepeatedCallsAndSizes() {
        ComputationGraph g = graph();
        Nd4j.getRandom().setSeed(1);
        INDArray small = Nd4j.rand(DataType.FLOAT, 2, 2, 12, 10);
        INDArray large = Nd4j.rand(DataType.FLOAT, 3, 2, 20, 16);
        INDArray smallCopy = small.dup();
        INDArray expectedSmall = g.output(List.of("loss"), false, new INDArray[]{small}, null)[0].dup();
        INDArray expectedLarge = g.output(List.of("loss"), false, new INDArray[]{large}, null)[0].dup();
        INDArray[] both = g.output(List.of("loss", "auxLoss"), false, new INDArray[]{small}, null);

        INDArray first = GraphInference.output(g, List.of("loss"), small)[0];
        assertEquals(expectedSmall, first);
        long pooled = GraphInference.pooledBytes(g);
        assertTrue(pooled > 0, "the activations of a call stay pooled for the next");
        for (int i = 0; i < 3; i++) {
            assertEquals(expectedSmall, GraphInference.output(g, List.of("loss"), small)[0], "call " + i);
            assertEquals(pooled, GraphInference.pooledBytes(g), "the same size reuses the same buffers");
        }
        assertEquals(expectedLarge, GraphInference.output(g, List.of("loss"), large)[0]);
        assertEquals(expectedSmall, GraphInference.output(g, List.of("loss"), small)[0]);
        assertEquals(pooled, GraphInference.pooledBytes(g), "a change of size frees the other size's buffers");

        INDArray[] outs = GraphInference.output(g, List.of("loss", "auxLoss"), small);
        assertEquals(both[0], outs[0]);
        assertEquals(both[1], outs[1]);

        assertEquals(smallCopy, small, "the input is the caller's: never written or reused");
        assertEquals(expectedSmall, first, "an earlier output is the caller's: never reused by later calls");
        GraphInference.release(g);
        assertEquals(0, GraphInference.pooledBytes(g));
        assertEquals(expectedSmall, GraphInference.output(g, List.of("loss"), small)[0], "works again after release");
    }

    /**
     * DL4J's own vertices: {@code ElementWiseVertex} starts its sum from a workspace-manager copy and
     * {@code MergeVertex} concatenates with {@code Nd4j.concat} outside the manager; both outputs come from the pool
     * (the concatenation's 12-channel buffer is the only one of its length) and equal DL4J's.
     */
    @Test
    void dl4jSumsAndConcatenationsArePooled() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).seed(5)
                .updater(new NoOp()).weightInit(WeightInit.XAVIER).graphBuilder()
                .addInputs("in").setInputTypes(InputType.convolutional(9, 7, 2))
                .addLayer("conv", new Conv2D(2, 6, 3).padding(1), "in")
                .addLayer("a", new Conv2D(6, 6, 3).padding(1), "conv")
                .addLayer("b", new Conv2D(6, 6, 1), "conv")
                .addVertex("sum", new ElementWiseVertex(ElementWiseVertex.Op.Add), "a", "b")
                .addVertex("cat", new MergeVertex(), "sum", "conv")
                .addLayer("head", new Conv2D(12, 3, 1), "cat")
                .addLayer("loss", SegmentationLoss.crossEntropy(), "head")
                .setOutputs("loss").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 2, 9, 7);
        INDArray expected = g.output(List.of("loss"), false, new INDArray[]{x}, null)[0].dup();
        INDArray expectedCat = g.output(List.of("cat"), false, new INDArray[]{x}, null)[0].dup();
        for (int i = 0; i < 2; i++) {
            assertEquals(expected, GraphInference.output(g, List.of("loss"), x)[0], "call " + i);
        }
        assertTrue(GraphInference.pooledLengths(g).contains(2L * 12 * 9 * 7), "the concatenation's buffer is pooled: "
                + GraphInference.pooledLengths(g));
        assertEquals(expectedCat, GraphInference.output(g, List.of("cat"), x)[0]);
    }

    /**
     * An output given back with {@link GraphInference#recycle} is the memory of the next call's output (the same native
     * address); views, copies, inputs and other graphs' arrays are refused and left intact.
     */
    @Test
    void recycledOutputsAreTheNextCallsMemory() {
        ComputationGraph g = graph();
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 2, 12, 10);
        INDArray xCopy = x.dup();
        INDArray expected = g.output(List.of("loss"), false, new INDArray[]{x}, null)[0].dup();
        INDArray first = GraphInference.output(g, List.of("loss"), x)[0];
        long address = first.data().addressPointer().address();
        long pooled = GraphInference.pooledBytes(g);
        INDArray copy = first.dup();
        assertArrayEquals(new boolean[]{false, false, false}, GraphInference.recycle(g, first.get(
                NDArrayIndex.point(0)), copy, x), "a view, a copy and the input are not the pool's");
        assertArrayEquals(new boolean[]{false}, GraphInference.recycle(graph(), first), "another graph's pool");
        assertArrayEquals(new boolean[]{true}, GraphInference.recycle(g, first));
        assertEquals(pooled + first.length() * 4, GraphInference.pooledBytes(g));

        for (int i = 0; i < 3; i++) {
            INDArray next = GraphInference.output(g, List.of("loss"), x)[0];
            assertEquals(expected, next, "call " + i);
            assertEquals(address, next.data().addressPointer().address(), "call " + i + " writes into the given-back"
                    + " memory");
            assertArrayEquals(new boolean[]{true}, GraphInference.recycle(g, next));
        }
        assertEquals(expected, copy);
        assertEquals(xCopy, x);
        INDArray kept = GraphInference.output(g, List.of("loss"), x)[0];
        assertEquals(pooled, GraphInference.pooledBytes(g), "an output not given back is the caller's");
        assertEquals(expected, GraphInference.output(g, List.of("loss"), x)[0]);
        assertEquals(expected, kept, "and is never reused");
    }

    @Test
    void aHeadTheRequestedOutputDoesNotNeedDoesNotRun() {
        ComputationGraph g = graph();
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 2, 12, 10);
        GraphInference.output(g, List.of("loss"), x);
        long withoutAux = GraphInference.pooledBytes(g);
        GraphInference.release(g);
        GraphInference.output(g, List.of("loss", "auxLoss"), x);
        assertTrue(GraphInference.pooledBytes(g) > withoutAux, "the auxiliary head allocates only when asked for");
    }

    @Test
    void wrongInputsAndUnknownOutputsAreRefused() {
        ComputationGraph g = graph();
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 2, 12, 10);
        assertThrows(IllegalArgumentException.class, () -> GraphInference.output(g, List.of("loss"), x, x));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GraphInference.output(g, List.of("nope"), x));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }
}
