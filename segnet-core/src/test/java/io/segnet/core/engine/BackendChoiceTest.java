package io.segnet.core.engine;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BackendChoiceTest {

    @Test
    void choosesOncePerDataTypeAndAgainWhenTheTypeChanges() {
        List<DataType> asked = new ArrayList<>();
        BackendChoice<String> choice = new BackendChoice<>(type -> {
            asked.add(type);
            return "backend for " + type;
        });
        assertEquals("backend for FLOAT", choice.forType(DataType.FLOAT));
        assertEquals("backend for FLOAT", choice.forType(DataType.FLOAT));
        assertEquals("backend for DOUBLE", choice.forType(DataType.DOUBLE));
        assertEquals("backend for DOUBLE", choice.forType(DataType.DOUBLE));
        assertEquals(List.of(DataType.FLOAT, DataType.DOUBLE), asked);
    }
}
