package io.segnet.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Issue 17: overlays leave the class the data names background transparent unless --background-class says else. */
class PredictCommandTest {

    @Test
    void theBackgroundIsTheClassNamedSo() {
        assertEquals(10, PredictCommand.namedBackground(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9",
                "background")));
        assertEquals(0, PredictCommand.namedBackground(List.of("Void", "road", "car")));
        assertEquals(2, PredictCommand.namedBackground(List.of("cell", "membrane", "unlabeled")));
        assertEquals(-1, PredictCommand.namedBackground(List.of("cell", "membrane")));
        assertEquals(0, PredictCommand.namedBackground(List.of("null", "accessories", "bag")), "CCP's");
        assertEquals(0, PredictCommand.namedBackground(List.of("__background__", "aeroplane")), "torchvision's");
    }
}
