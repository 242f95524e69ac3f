package io.segnet.train;

import io.segnet.train.checkpoint.TrainerState;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BestTrackerTest {

    private static BestTracker fresh(double minDelta, int patience) {
        return new BestTracker(minDelta, patience, Double.NaN, 0, 0);
    }

    @Test
    void theFirstDefinedScoreIsTheBest() {
        BestTracker t = fresh(0.5, 0);
        assertTrue(t.validated(1, 0.1), "even far below minDelta");
        assertEquals(0.1, t.value());
        assertEquals(1, t.epoch());
        assertEquals(0, t.epochsWithoutImprovement());
    }

    @Test
    void aScoreMustExceedTheBestByMoreThanMinDelta() {
        BestTracker t = fresh(0.125, 0);
        t.validated(1, 0.5);
        assertFalse(t.validated(2, 0.625), "exactly best + minDelta is no improvement");
        assertFalse(t.validated(3, 0.25));
        assertEquals(2, t.epochsWithoutImprovement());
        assertTrue(t.validated(4, 0.6875));
        assertEquals(0.6875, t.value());
        assertEquals(4, t.epoch());
        assertEquals(0, t.epochsWithoutImprovement());
    }

    @Test
    void anUndefinedScoreNeverImprovesButCounts() {
        BestTracker t = fresh(0, 0);
        assertFalse(t.validated(1, Double.NaN));
        assertTrue(Double.isNaN(t.value()));
        assertEquals(0, t.epoch());
        assertEquals(1, t.epochsWithoutImprovement());
        t.validated(2, 0.3);
        assertFalse(t.validated(3, Double.NaN));
        assertEquals(0.3, t.value());
    }

    @Test
    void stopsAfterPatienceEpochsWithoutImprovement() {
        BestTracker t = fresh(0, 2);
        t.validated(1, 0.5);
        t.validated(2, 0.4);
        assertFalse(t.shouldStop(), "one epoch without improvement, patience 2");
        t.validated(3, 0.5);
        assertTrue(t.shouldStop(), "equal is not better");
    }

    @Test
    void patienceZeroNeverStops() {
        BestTracker t = fresh(0, 0);
        t.validated(1, 0.5);
        for (int e = 2; e < 20; e++) {
            t.validated(e, 0.1);
        }
        assertEquals(18, t.epochsWithoutImprovement());
        assertFalse(t.shouldStop());
    }

    @Test
    void anEpochWithoutValidationRestartsTheCount() {
        BestTracker t = fresh(0, 2);
        t.validated(1, 0.5);
        t.validated(2, 0.4);
        t.notValidated();
        assertEquals(0, t.epochsWithoutImprovement());
        assertEquals(0.5, t.value());
        assertEquals(1, t.epoch());
        t.validated(4, 0.4);
        assertFalse(t.shouldStop());
    }

    @Test
    void resumesFromATrainerState() {
        TrainerConfig config = TrainerConfig.defaults().withEarlyStopping(Metric.MEAN_IOU, 3, 0.25);
        TrainerState state = new TrainerState(5, 0, 50, 0, 0.5, 3, 2, 12.0, false);
        BestTracker t = BestTracker.resume(config, state);
        assertEquals(0.5, t.value());
        assertEquals(3, t.epoch());
        assertEquals(2, t.epochsWithoutImprovement());
        assertFalse(t.validated(6, 0.625), "0.625 is not more than 0.5 + 0.25");
        assertTrue(t.shouldStop(), "the third epoch without improvement with patience 3");
    }
}
