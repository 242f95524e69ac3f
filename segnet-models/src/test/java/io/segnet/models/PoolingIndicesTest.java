package io.segnet.models;

import io.segnet.core.layers.MaxPool2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Max pooling records indices in inference only where SegNet's unpooling needs them (issue 19). */
class PoolingIndicesTest {

    @TempDir
    Path tmp;

    private static Map<String, MaxPool2D> pools(ComputationGraph g) {
        Map<String, MaxPool2D> pools = new TreeMap<>();
        for (GraphVertex v : g.getVertices()) {
            if (v.hasLayer() && v.getLayer().conf().getLayer() instanceof MaxPool2D p) {
                pools.put(v.getVertexName(), p);
            }
        }
        return pools;
    }

    @Test
    void onlySegNetsPoolsRecordIndicesAndTheLogitsDoNotChange() throws java.io.IOException {
        SegmentationModel segnet = SegmentationModels.create(SmallArchitectures.segNet(), Training.defaults());
        assertFalse(pools(segnet.graph()).isEmpty());
        pools(segnet.graph()).forEach((name, p) -> assertTrue(p.isRecordIndices(), name));

        SegmentationModel fcn = SegmentationModels.create(SmallArchitectures.fcn(), Training.defaults().withSeed(3));
        Map<String, MaxPool2D> fcnPools = pools(fcn.graph());
        assertEquals(5, fcnPools.size());
        fcnPools.forEach((name, p) -> assertFalse(p.isRecordIndices(), name));
        // the setting survives saving and folding (the config JSON)
        pools(fcn.foldedForInference().graph()).forEach((name, p) -> assertFalse(p.isRecordIndices(), name));

        // a file written before the setting existed (every pool recording) loads with it
        Path file = tmp.resolve("fcn.zip");
        fcnPools.values().forEach(p -> p.recordIndices(true));
        fcn.save(file);
        pools(SegmentationModel.load(file).graph()).forEach((name, p) -> assertFalse(p.isRecordIndices(), name));
        fcnPools.values().forEach(p -> p.recordIndices(false));

        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 64, 96);
        INDArray fast = fcn.logits(x).dup();
        fcnPools.values().forEach(p -> p.recordIndices(true));
        INDArray indexed = fcn.logits(x).dup();
        assertArrayEquals(indexed.data().asFloat(), fast.data().asFloat());
    }
}
