package io.segnet.core.runtime;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class OpenMpTest {

    @Test
    void tooLateOnceNd4jHasLoadedOpenMp() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"));
        Nd4j.create(DataType.FLOAT, 4, 4).addi(1);
        assertTrue(OpenMp.openMpLoaded(), "ND4J's CPU backend links an OpenMP runtime");
        OpenMp.Outcome expected = System.getenv(OpenMp.WAIT_POLICY) != null ? OpenMp.Outcome.USER_CHOICE
                : OpenMp.Outcome.TOO_LATE;
        assertEquals(expected, OpenMp.preferPassiveWaiting());
    }
}
