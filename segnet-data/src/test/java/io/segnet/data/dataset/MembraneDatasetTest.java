package io.segnet.data.dataset;

import io.segnet.data.Sample;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads the project's copy of the membrane data (data/membrane/train). */
class MembraneDatasetTest {

    @Test
    void loadsThirtyBinaryPairs() {
        SegmentationDataset ds = MembraneDataset.load();
        assertEquals(MembraneDataset.SIZE, ds.size());
        assertEquals("0", ds.id(0));
        assertEquals("29", ds.id(29));
        Sample s = ds.get(0);
        assertEquals(1, s.channels());
        assertEquals(512, s.height());
        assertEquals(512, s.width());
        long membrane = 0;
        for (int v : s.mask()) {
            assertTrue(v == 0 || v == 1, "value " + v);
            membrane += v == 0 ? 1 : 0;
        }
        // the README: about 22% of pixels are membrane
        double share = membrane / (512.0 * 512.0);
        assertTrue(share > 0.15 && share < 0.30, "membrane share " + share);
    }

    @Test
    void validatesCleanly() {
        ValidationReport report = MembraneDataset.load().validate();
        assertTrue(report.isOk(), report.toString());
        assertTrue(report.warnings().isEmpty(), report.toString());
        long[] pixels = report.classPixels();
        assertEquals(30L * 512 * 512, pixels[0] + pixels[1]);
        double membrane = (double) pixels[0] / (pixels[0] + pixels[1]);
        assertEquals(0.22, membrane, 0.02);
        assertEquals(0, report.ignoredPixels());
    }
}
