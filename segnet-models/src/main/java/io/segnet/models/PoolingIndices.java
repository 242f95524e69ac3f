package io.segnet.models;

import io.segnet.core.graph.MaxUnpool;
import io.segnet.core.layers.MaxPool2D;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;

import java.util.HashSet;
import java.util.Set;

/**
 * Which max-pooling layers record their argmax positions in inference: those a {@link MaxUnpool} names (SegNet); the
 * others compute the maxima alone ({@link MaxPool2D#recordIndices}). Applied when a model is built and when one is
 * loaded, so that files written before the setting existed get it too.
 */
final class PoolingIndices {

    private PoolingIndices() {
    }

    /** Sets {@link MaxPool2D#recordIndices} of every max-pooling layer of {@code conf} (the objects themselves). */
    static void recordOnlyWhereUnpooled(ComputationGraphConfiguration conf) {
        Set<String> unpooled = new HashSet<>();
        for (GraphVertex v : conf.getVertices().values()) {
            if (v instanceof MaxUnpool u) {
                unpooled.add(u.getPoolingLayer());
            }
        }
        conf.getVertices().forEach((name, v) -> {
            if (v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof MaxPool2D pool) {
                pool.recordIndices(unpooled.contains(name));
            }
        });
    }
}
