package io.segnet.core.engine;

import io.segnet.core.engine.dnnl.DnnlConvOps;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import static io.segnet.core.testutil.Assertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The choice of convolution engine, and the engines against each other in FLOAT: oneDNN against libnd4j (undilated,
 * strided; transposed with and without output padding) and against the atrous kernel (dilated), forward and backward.
 */
class ConvolutionBackendTest {
    private static final double TOL = 1e-4;

    @Test
    void floatRunsOneDnnAndDoubleRunsLibnd4jOrTheAtrousKernel() {
        assertTrue(DnnlConvOps.available(), () -> "oneDNN binding did not load: " + DnnlConvOps.loadFailure());
        assertEquals(ConvolutionBackend.ONEDNN, ConvolutionBackend.select(DataType.FLOAT, false));
        assertEquals(ConvolutionBackend.ONEDNN, ConvolutionBackend.select(DataType.FLOAT, true));
        assertEquals(ConvolutionBackend.LIBND4J, ConvolutionBackend.select(DataType.DOUBLE, false));
        assertEquals(ConvolutionBackend.ATROUS, ConvolutionBackend.select(DataType.DOUBLE, true));
        assertEquals(TransposedConvolutionBackend.ONEDNN, TransposedConvolutionBackend.select(DataType.FLOAT));
        assertEquals(TransposedConvolutionBackend.LIBND4J, TransposedConvolutionBackend.select(DataType.DOUBLE));
    }

    @Test
    void enginesRefuseWhatTheyCannotCompute() {
        INDArray x = Nd4j.rand(DataType.DOUBLE, 1, 2, 8, 8), w = Nd4j.rand(DataType.DOUBLE, 3, 2, 3, 3);
        INDArray out = Nd4j.create(DataType.DOUBLE, 1, 3, 8, 8);
        IllegalArgumentException dilated = assertThrows(IllegalArgumentException.class,
                () -> ConvolutionBackend.LIBND4J.forward(x, w, null, out, 1, 1, 2, 2, 2, 2));
        assertTrue(dilated.getMessage().contains("dilation 2x2"), dilated.getMessage());
        IllegalArgumentException strided = assertThrows(IllegalArgumentException.class,
                () -> ConvolutionBackend.ATROUS.forward(x, w, null, out, 2, 2, 2, 2, 2, 2));
        assertTrue(strided.getMessage().contains("stride 2x2"), strided.getMessage());
    }

    @Test
    void oneDnnMatchesLibnd4jOnAStridedConvolution() {
        compare(ConvolutionBackend.LIBND4J, 2, 1, 1);
        compare(ConvolutionBackend.LIBND4J, 1, 0, 1);
    }

    @Test
    void oneDnnMatchesTheAtrousKernelOnADilatedConvolution() {
        compare(ConvolutionBackend.ATROUS, 1, 2, 2);
        compare(ConvolutionBackend.ATROUS, 1, 3, 3);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ConvolutionBackend.class)
    void forwardWithReluIsTheLinearOutputClampedAtZero(ConvolutionBackend backend) {
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.randn(DataType.FLOAT, 2, 16, 9, 10), w = Nd4j.randn(DataType.FLOAT, 16, 16, 3, 3);
        INDArray b = Nd4j.randn(DataType.FLOAT, 16);
        INDArray linear = Nd4j.create(DataType.FLOAT, 2, 16, 9, 10), out = Nd4j.create(DataType.FLOAT, 2, 16, 9, 10);
        backend.forward(x, w, b, linear, 1, 1, 1, 1, 1, 1);
        backend.forward(x, w, b, out, 1, 1, 1, 1, 1, 1, true);
        assertTrue(linear.minNumber().doubleValue() < 0);
        assertClose(Transforms.relu(linear, true), out, TOL, backend + " relu");
    }

    /** ONEDNN against {@code reference} on x [2, 3, 9, 10], w [4, 3, 3, 3] with bias. */
    private static void compare(ConvolutionBackend reference, int s, int p, int d) {
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.randn(DataType.FLOAT, 2, 3, 9, 10), w = Nd4j.randn(DataType.FLOAT, 4, 3, 3, 3);
        INDArray b = Nd4j.randn(DataType.FLOAT, 4);
        long oh = (9 + 2 * p - d * 2 - 1) / s + 1, ow = (10 + 2 * p - d * 2 - 1) / s + 1;
        INDArray dy = Nd4j.randn(DataType.FLOAT, 2, 4, oh, ow);
        INDArray[] expected = run(reference, x, w, b, dy, s, p, d), actual = run(ConvolutionBackend.ONEDNN, x, w, b,
                dy, s, p, d);
        String[] names = {"out", "dx", "dW", "db"};
        for (int i = 0; i < names.length; i++) {
            assertClose(expected[i], actual[i], TOL, reference + " " + names[i]);
        }
    }

    private static INDArray[] run(ConvolutionBackend backend, INDArray x, INDArray w, INDArray b, INDArray dy, int s,
                                  int p, int d) {
        INDArray out = Nd4j.create(DataType.FLOAT, dy.shape()), dx = Nd4j.create(DataType.FLOAT, x.shape());
        INDArray dW = Nd4j.create(DataType.FLOAT, w.shape()), db = Nd4j.create(DataType.FLOAT, b.shape());
        backend.forward(x, w, b, out, s, s, p, p, d, d);
        backend.backward(x, w, b, dy, dx, dW, db, s, s, p, p, d, d);
        return new INDArray[]{out, dx, dW, db};
    }

    @ParameterizedTest(name = "stride {0}, padding {1}, output padding {2}")
    @CsvSource({"2,1,0", "2,1,1", "2,0,1", "3,2,2", "3,1,2"})
    void transposedOneDnnMatchesLibnd4j(int s, int p, int op) {
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.randn(DataType.FLOAT, 2, 3, 4, 5), w = Nd4j.randn(DataType.FLOAT, 3, 4, 3, 3);
        INDArray b = Nd4j.randn(DataType.FLOAT, 4);
        long oh = (4 - 1) * s - 2 * p + 3 + op, ow = (5 - 1) * s - 2 * p + 3 + op;
        INDArray dy = Nd4j.randn(DataType.FLOAT, 2, 4, oh, ow);
        INDArray[] expected = runTransposed(TransposedConvolutionBackend.LIBND4J, x, w, b, dy, s, p);
        INDArray[] actual = runTransposed(TransposedConvolutionBackend.ONEDNN, x, w, b, dy, s, p);
        String[] names = {"out", "dx", "dW", "db"};
        for (int i = 0; i < names.length; i++) {
            assertClose(expected[i], actual[i], TOL, "transposed " + names[i]);
        }
    }

    private static INDArray[] runTransposed(TransposedConvolutionBackend backend, INDArray x, INDArray w, INDArray b,
                                            INDArray dy, int s, int p) {
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        INDArray out = Nd4j.create(DataType.FLOAT, dy.shape()), dx = Nd4j.create(DataType.FLOAT, x.shape());
        INDArray dW = Nd4j.create(DataType.FLOAT, w.shape()), db = Nd4j.create(DataType.FLOAT, b.shape());
        backend.forward(x, w, b, out, s, s, p, p, ws);
        backend.backward(x, w, b, dy, dx, dW, db, s, s, p, p, ws);
        return new INDArray[]{out, dx, dW, db};
    }
}
