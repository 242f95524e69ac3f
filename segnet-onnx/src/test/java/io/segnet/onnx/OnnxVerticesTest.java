package io.segnet.onnx;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import io.segnet.core.graph.BilinearResize;
import io.segnet.core.graph.MatchSize;
import io.segnet.core.graph.MaxUnpool;
import io.segnet.core.graph.NearestResize;
import io.segnet.core.layers.AdaptiveAvgPool2D;
import io.segnet.core.layers.Conv2D;
import io.segnet.core.layers.MaxPool2D;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;

/**
 * The vertices and layers whose ONNX form computes sizes at run time, each at several input sizes in one session,
 * including the cases segnet's architectures do not reach today: MatchSize centred with a crop on one axis and a pad
 * on the other (odd and even differences, negative ones), MatchSize at a fixed offset that pads, resizes by a factor
 * (up and down, both corner conventions), nearest resize to a reference by a non-integer ratio, adaptive average
 * pooling with bins that overlap and with more bins than pixels, and max pooling with padding and ceil mode through
 * MaxUnpool.
 */
class OnnxVerticesTest {

    private static ComputationGraph graph() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                .updater(new NoOp()).seed(11).graphBuilder()
                .addInputs("in").setInputTypes(InputType.convolutional(13, 11, 2))
                // H+1 x W-1 and H+6 x W-5: centred placement crops one axis and pads the other
                .addLayer("a", new Conv2D(2, 3, 1).kernel(2, 4).padding(1, 1), "in")
                .addLayer("b", new Conv2D(2, 3, 1).kernel(1, 6).padding(3, 0), "in")
                .addVertex("matchA", new MatchSize(), "a", "in")
                .addVertex("matchB", new MatchSize(), "b", "in")
                .addVertex("matchBack", new MatchSize(), "in", "b")
                .addVertex("offset", MatchSize.atOffset(2, -1), "b", "in")
                .addVertex("up", BilinearResize.byScale(1.5, false), "in")
                .addVertex("downCorners", BilinearResize.byScale(0.5, true), "in")
                .addVertex("nearestUp", NearestResize.byScale(2), "in")
                .addVertex("nearestTo", NearestResize.toReference(), "in", "b")
                .addVertex("bilinearTo", BilinearResize.toReference(true), "a", "b")
                .addLayer("bins3", new AdaptiveAvgPool2D(3), "in")
                .addLayer("bins6", new AdaptiveAvgPool2D(6), "b")
                .addLayer("global", new AdaptiveAvgPool2D(1), "in")
                .addLayer("pool", new MaxPool2D(3, 2).padding(1).ceilMode(true), "in")
                .addVertex("unpool", new MaxUnpool("pool"), "pool")
                .setOutputs("matchA", "matchB", "matchBack", "offset", "up", "downCorners", "nearestUp", "nearestTo",
                        "bilinearTo", "bins3", "bins6", "global", "unpool")
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    @Test
    void runtimeShapedVerticesMatchSegnetAtManySizes() throws Exception {
        ComputationGraph net = graph();
        List<String> outputs = net.getConfiguration().getNetworkOutputs();
        OnnxMl.ModelProto m = OnnxExport.graphModel(net, 2, outputs);
        try (OrtSession session = OnnxRuntimeCheck.session(m.toByteArray())) {
            int seed = 20;
            for (int[] size : new int[][]{{13, 11}, {8, 16}, {17, 9}, {6, 7}}) {
                INDArray x = OnnxRuntimeCheck.images(seed++, 2, 2, size[0], size[1]);
                INDArray[] expected = net.output(false, x);
                INDArray xf = x.dup('c');
                try (OnnxTensor in = OnnxTensor.createTensor(OnnxRuntimeCheck.ENV,
                        FloatBuffer.wrap(xf.data().asFloat()), xf.shape());
                     OrtSession.Result r = session.run(Map.of(OnnxExport.INPUT, in))) {
                    for (int i = 0; i < outputs.size(); i++) {
                        OnnxTensor t = (OnnxTensor) r.get("out" + i).orElseThrow();
                        FloatBuffer fb = t.getFloatBuffer();
                        float[] v = new float[fb.remaining()];
                        fb.get(v);
                        OnnxRuntimeCheck.assertAgrees(outputs.get(i) + " at " + size[0] + "x" + size[1],
                                expected[i], Nd4j.create(v, t.getInfo().getShape(), 'c'));
                    }
                }
            }
        }
    }
}
