package io.segnet.spark;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parts of the distributed step that need no Spark context. */
class SparkStepExecutorTest {

    @Test
    void refusesResultsLargerThanTheDriverAcceptsWithTheSettingToChange() {
        long deeplabWithAdam = 40_352_181L * 3; // parameters plus Adam's two moments
        assertNull(SparkStepExecutor.resultSizeProblem(2, deeplabWithAdam, 1L << 30));
        String p = SparkStepExecutor.resultSizeProblem(3, deeplabWithAdam, 1L << 30);
        assertTrue(p.contains("spark.driver.maxResultSize=") && p.contains("484.2 MB"), p);
        assertNull(SparkStepExecutor.resultSizeProblem(8, deeplabWithAdam, 0), "0 is no limit");
    }

    @Test
    void copiesStateInBulkBothWays() {
        float[] all = new float[24];
        float[] second = new float[12];
        double[] halves = new double[12];
        for (int i = 0; i < 24; i++) {
            all[i] = i + 1;
        }
        for (int i = 0; i < 12; i++) {
            second[i] = 13 + i;
            halves[i] = (13 + i) / 2.0;
        }
        INDArray source = Nd4j.createFromArray(all).reshape(2, 3, 4);
        // a view (the second 3x4 block) and a copy both come out in order
        float[] values = SparkStepExecutor.floats(source.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1)));
        assertArrayEquals(second, values);
        assertArrayEquals(all, SparkStepExecutor.floats(source));
        INDArray target = Nd4j.zeros(DataType.DOUBLE, 3, 4);
        SparkStepExecutor.assign(target, values, 0.5f);
        assertArrayEquals(halves, target.data().asDouble());
        assertThrows(IllegalStateException.class, () -> SparkStepExecutor.assign(target, new float[5], 1f));
    }
}
