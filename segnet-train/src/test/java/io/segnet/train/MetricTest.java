package io.segnet.train;

import io.segnet.metrics.ConfusionMatrix;
import io.segnet.metrics.MetricReport;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MetricTest {

    @Test
    void summaryHoldsEveryScoreUnderItsNameInTheLogOrder() {
        // truth rows, prediction columns: class a 3 right, 1 as b; class b 2 as a, 4 right
        MetricReport r = MetricReport.of(ConfusionMatrix.fromCounts(new long[][]{{3, 1}, {2, 4}}, 255),
                List.of("a", "b"), 1.0, 1);
        Map<String, Double> summary = Metric.summary(r);
        assertEquals(List.of("pixelAccuracy", "meanPixelAccuracy", "meanIoU", "frequencyWeightedIoU", "meanDice",
                "meanPrecision", "meanFScore"), List.copyOf(summary.keySet()));
        assertEquals(0.7, summary.get("pixelAccuracy"), 1e-12);
        assertEquals((3.0 / 4 + 4.0 / 6) / 2, summary.get("meanPixelAccuracy"), 1e-12);
        assertEquals(r.meanIoU(), summary.get("meanIoU"));
        assertEquals(r.frequencyWeightedIoU(), summary.get("frequencyWeightedIoU"));
        assertEquals(r.meanDice(), summary.get("meanDice"));
        assertEquals(r.meanPrecision(), summary.get("meanPrecision"));
        assertEquals(r.meanFScore(), summary.get("meanFScore"));
        for (Metric m : Metric.values()) {
            assertEquals(m.of(r), summary.get(m.key()), m.key());
        }
    }
}
