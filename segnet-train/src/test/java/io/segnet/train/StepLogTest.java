package io.segnet.train;

import io.segnet.train.log.LogRecord;
import io.segnet.train.log.MetricsLog;
import io.segnet.train.log.StepRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StepLogTest {

    @TempDir
    Path tmp;

    @Test
    void everyNthIterationLogsTheMeanAndRateOfTheStepsSinceThePreviousRecord() throws IOException {
        long[] nanos = {0};
        try (MetricsLog log = MetricsLog.create(tmp.resolve("metrics.jsonl"))) {
            StepLog steps = new StepLog(log, 2, () -> nanos[0]);
            steps.epochStarted();
            nanos[0] += 1_000_000_000L;
            steps.stepDone(1, 1, 4, 3.0, 0.1);
            assertEquals(0, log.records().size(), "iteration 1 is not a multiple of 2");
            nanos[0] += 1_000_000_000L;
            steps.stepDone(1, 2, 4, 1.0, 0.09);
            nanos[0] += 500_000_000L;
            steps.stepDone(1, 3, 2, 5.0, 0.08);
            steps.epochStarted();
            nanos[0] += 1_000_000_000L;
            steps.stepDone(2, 4, 6, 0.5, 0.07);
            List<LogRecord> records = log.records();
            assertEquals(List.of(new StepRecord(1, 2, 2.0, 0.09, 4.0), new StepRecord(2, 4, 0.5, 0.07, 6.0)), records,
                    "8 images in 2 s; iteration 3 belongs to the previous epoch and is not carried over");
        }
    }
}
