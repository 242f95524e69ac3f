package io.segnet.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ThroughputWindowTest {

    /** A clock the test moves by hand. */
    private static final class Clock {
        long nanos = 1_000;
    }

    @Test
    void countsStepsLossAndImagesPerSecondSinceTheStart() {
        Clock clock = new Clock();
        ThroughputWindow w = new ThroughputWindow(() -> clock.nanos);
        assertEquals(0, w.meanLoss(), "no step yet");
        w.add(4, 2.0);
        w.add(4, 1.0);
        w.add(2, 0.5);
        clock.nanos += 2_000_000_000L;
        assertEquals(3, w.steps());
        assertEquals(3.5, w.lossSum());
        assertEquals(3.5 / 3, w.meanLoss());
        assertEquals(2.0, w.seconds());
        assertEquals(5.0, w.imagesPerSecond(w.seconds()), "10 images in 2 s");
        assertEquals(0, w.imagesPerSecond(0), "no time measured: no rate");
    }

    @Test
    void restartEmptiesTheWindowAndResetsTheClock() {
        Clock clock = new Clock();
        ThroughputWindow w = new ThroughputWindow(() -> clock.nanos);
        w.add(8, 3.0);
        clock.nanos += 4_000_000_000L;
        w.restart();
        clock.nanos += 1_000_000_000L;
        w.add(3, 1.5);
        assertEquals(1, w.steps());
        assertEquals(1.5, w.meanLoss());
        assertEquals(1.0, w.seconds());
        assertEquals(3.0, w.imagesPerSecond(w.seconds()));
    }

    @Test
    void aResumedEpochCountsEarlierStepsInTheLossButNotInTheRate() {
        Clock clock = new Clock();
        ThroughputWindow w = new ThroughputWindow(() -> clock.nanos, 2, 5.0);
        w.add(4, 1.0);
        clock.nanos += 500_000_000L;
        assertEquals(3, w.steps());
        assertEquals(6.0, w.lossSum());
        assertEquals(2.0, w.meanLoss());
        assertEquals(8.0, w.imagesPerSecond(w.seconds()), "4 images of this session in 0.5 s");
    }
}
