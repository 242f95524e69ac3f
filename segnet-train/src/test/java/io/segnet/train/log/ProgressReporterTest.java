package io.segnet.train.log;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressReporterTest {

    /** Runs one epoch of 20 batches and a message through the reporter made while standard error is captured. */
    private static String epochOn(boolean wantBar) {
        PrintStream saved = System.err;
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        System.setErr(new PrintStream(text, true, StandardCharsets.UTF_8));
        try {
            ProgressReporter r = ProgressReporter.console(wantBar);
            r.epochStarted(1, 2, 20);
            for (int i = 0; i < 20; i++) {
                r.batchDone(4, 0.5, 1e-3);
            }
            r.epochFinished();
            r.message("epoch 1/2: validation done");
            r.close();
        } finally {
            System.setErr(saved);
        }
        return text.toString(StandardCharsets.UTF_8);
    }

    /** The counts of the plain lines: an epoch resumed after batch 7 of 20 goes on counting from there. */
    @Test
    void aResumedEpochCountsOnFromTheBatchesTrainedBefore() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        ProgressReporter r = ProgressReporter.lines(new PrintStream(text, true, StandardCharsets.UTF_8));
        r.epochStarted(2, 3, 20, 7);
        for (int i = 7; i < 20; i++) {
            r.batchDone(4, 0.5, 1e-3);
        }
        String printed = text.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith("epoch 2/3  40% (8/20)"), printed);
        assertTrue(printed.contains("(10/20)") && printed.contains("(20/20)"), printed);
        assertTrue(!printed.contains("(1/20)") && !printed.contains("(2/13)"), printed);
    }

    @Test
    void withoutProgressOnlyTheLinesBetweenEpochsArePrinted() {
        assertEquals("epoch 1/2: validation done" + System.lineSeparator(), epochOn(false));
    }

    @Test
    void withProgressOffATerminalPlainStepLinesArePrinted() {
        String printed = epochOn(true); // the tests' standard error is no terminal: plain lines, every 10%
        assertTrue(printed.contains("(2/20)") && printed.contains("(20/20)") && printed.contains("img/s"), printed);
        assertTrue(printed.contains("epoch 1/2: validation done"), printed);
    }

    /**
     * The bar on an 80-column terminal: every rendered line (between carriage returns) fits in 79 characters and
     * still shows the batch count, the ETA and images/s, also for a long epoch with a wide batch count.
     */
    @Test
    void theBarFitsEightyColumnsAndKeepsImagesPerSecondAndEta() throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        ProgressReporter r = new ProgressReporter.Bar(new PrintStream(text, true, StandardCharsets.UTF_8));
        r.epochStarted(100, 100, 123456, 4567);
        for (int i = 0; i < 3; i++) {
            r.batchDone(32, 12.3456, 1e-3);
            Thread.sleep(600); // the bar renders every 500 ms
        }
        r.epochFinished();
        String printed = text.toString(StandardCharsets.UTF_8);
        String[] lines = printed.split("[\\r\\n]+");
        int shown = 0;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            String rendered = line.stripTrailing();
            assertTrue(rendered.length() <= ProgressReporter.WIDTH, rendered.length() + " columns: " + rendered);
            if (rendered.contains("img/s")) {
                assertTrue(rendered.matches(".*\\d+/123456 \\(\\d+:\\d\\d:\\d\\d / \\d+:\\d\\d:\\d\\d\\).*"),
                        "count, elapsed and ETA: " + rendered);
                assertTrue(rendered.contains("loss 12.35"), rendered);
                shown++;
            }
        }
        assertTrue(shown > 0, "some rendered line shows img/s: " + printed);
    }
}
