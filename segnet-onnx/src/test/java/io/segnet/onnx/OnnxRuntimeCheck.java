package io.segnet.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.segnet.core.layers.BatchNorm;
import io.segnet.models.SegmentationModel;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs ONNX files in ONNX Runtime (CPU, all graph optimisations, as a deploying user would) and compares them with
 * segnet's own output by issue 18's criteria: max abs error of the logits at most 1e-4 of their range, the same
 * arg-max on at least 99.99% of the pixels.
 */
final class OnnxRuntimeCheck {
    static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    private OnnxRuntimeCheck() {
    }

    /** A session on {@code onnx} with all graph optimisations and one thread. */
    static OrtSession session(byte[] onnx) throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        o.setIntraOpNumThreads(1);
        return ENV.createSession(onnx, o);
    }

    /** The outputs {@code logits} (float) and, if present, {@code classes} (int64) of {@code x}. */
    record Outputs(INDArray logits, INDArray classes) {
    }

    static Outputs run(OrtSession session, INDArray x) throws OrtException {
        INDArray xf = x.castTo(DataType.FLOAT).dup('c');
        try (OnnxTensor in = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(xf.data().asFloat()), xf.shape());
             OrtSession.Result r = session.run(Map.of(OnnxExport.INPUT, in))) {
            OnnxTensor logits = (OnnxTensor) r.get(OnnxExport.LOGITS).orElseThrow();
            FloatBuffer fb = logits.getFloatBuffer();
            float[] z = new float[fb.remaining()];
            fb.get(z);
            INDArray zl = Nd4j.create(z, logits.getInfo().getShape(), 'c');
            INDArray classes = null;
            if (r.get(OnnxExport.CLASSES).isPresent()) {
                OnnxTensor c = (OnnxTensor) r.get(OnnxExport.CLASSES).get();
                LongBuffer lb = c.getLongBuffer();
                long[] k = new long[lb.remaining()];
                lb.get(k);
                classes = Nd4j.createFromArray(k).reshape(c.getInfo().getShape());
            }
            return new Outputs(zl, classes);
        }
    }

    /**
     * Asserts issue 18's agreement between segnet's logits {@code expected} and ONNX Runtime's {@code actual}; returns
     * the max abs error relative to the logits' range.
     */
    static double assertAgrees(String what, INDArray expected, INDArray actual) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": logits shape");
        INDArray e = expected.castTo(DataType.DOUBLE);
        INDArray a = actual.castTo(DataType.DOUBLE);
        double range = e.maxNumber().doubleValue() - e.minNumber().doubleValue();
        double maxErr = Nd4j.math().abs(e.sub(a)).maxNumber().doubleValue();
        assertTrue(range > 0, what + ": logits are constant, the comparison would prove nothing");
        assertTrue(maxErr <= 1e-4 * range, what + ": max abs error " + maxErr + " exceeds 1e-4 of the range " + range);
        if (e.size(1) > 1) {
            INDArray ae = Nd4j.argMax(e, 1);
            INDArray aa = Nd4j.argMax(a, 1);
            double same = ae.eq(aa).castTo(DataType.DOUBLE).meanNumber().doubleValue();
            assertTrue(same >= 0.9999, what + ": arg-max agrees on " + same * 100 + "% of the pixels");
        }
        return maxErr / range;
    }

    /**
     * Gives every batch norm random statistics and affine parameters, so that folding them (or not) is tested: a new
     * model's running mean 0 and variance 1 would hide a wrong formula.
     */
    static void randomiseBatchNorms(SegmentationModel model, long seed) {
        Random rnd = new Random(seed);
        for (Map.Entry<String, GraphVertex> e : model.graph().getConfiguration().getVertices().entrySet()) {
            if (e.getValue() instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BatchNorm) {
                var layer = model.graph().getLayer(e.getKey());
                fill(layer.getParam("gamma"), rnd, 0.5, 1.5);
                fill(layer.getParam("beta"), rnd, -0.2, 0.2);
                fill(layer.getParam("runningMean"), rnd, -0.2, 0.2);
                fill(layer.getParam("runningVar"), rnd, 0.5, 2.0);
            }
        }
    }

    private static void fill(INDArray p, Random rnd, double lo, double hi) {
        for (long i = 0; i < p.length(); i++) {
            p.putScalar(i, lo + (hi - lo) * rnd.nextDouble());
        }
    }

    /** Images {@code [n, c, h, w]} uniform in [-1, 1), reproducible. */
    static INDArray images(long seed, int n, int c, int h, int w) {
        Random rnd = new Random(seed);
        float[] v = new float[n * c * h * w];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextFloat() * 2 - 1;
        }
        return Nd4j.create(v, new long[]{n, c, h, w}, 'c');
    }
}
