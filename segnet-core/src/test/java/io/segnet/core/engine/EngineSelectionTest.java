package io.segnet.core.engine;

import io.segnet.core.engine.dnnl.DnnlConvOps;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine this JVM runs on is the one {@link EngineSelection#PROPERTY} asks for. Surefire runs segnet-core's tests
 * twice: with the default (oneDNN) and with {@code -Dsegnet.engine=portable} (the pom's {@code portable-engine}
 * execution), so this test checks both choices, each in its own run.
 */
class EngineSelectionTest {

    @Test
    void theEngineInUseIsTheOneThePropertyAsksFor() {
        if (EngineSelection.portableRequested()) {
            assertFalse(DnnlConvOps.available(), "-Dsegnet.engine=portable must keep oneDNN out");
            assertEquals(ConvolutionBackend.LIBND4J, ConvolutionBackend.select(DataType.FLOAT, false));
            assertEquals(ConvolutionBackend.ATROUS, ConvolutionBackend.select(DataType.FLOAT, true));
            assertTrue(DnnlConvOps.engineDescription().startsWith("portable"), DnnlConvOps.engineDescription());
        } else {
            assertTrue(DnnlConvOps.available(), "oneDNN's binding loads on the build machine");
            assertEquals(ConvolutionBackend.ONEDNN, ConvolutionBackend.select(DataType.FLOAT, false));
            assertTrue(DnnlConvOps.engineDescription().startsWith("oneDNN 2."), DnnlConvOps.engineDescription());
        }
    }

    @Test
    void anUnknownEngineNameIsRefusedWithTheValidOnes() {
        String before = System.getProperty(EngineSelection.PROPERTY);
        try {
            System.setProperty(EngineSelection.PROPERTY, "mkl");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    EngineSelection::portableRequested);
            assertTrue(e.getMessage().contains("-Dsegnet.engine=portable"), e.getMessage());
            System.setProperty(EngineSelection.PROPERTY, "ONEDNN");
            assertFalse(EngineSelection.portableRequested());
            System.setProperty(EngineSelection.PROPERTY, "portable");
            assertTrue(EngineSelection.portableRequested());
        } finally {
            if (before == null) {
                System.clearProperty(EngineSelection.PROPERTY);
            } else {
                System.setProperty(EngineSelection.PROPERTY, before);
            }
        }
    }
}
