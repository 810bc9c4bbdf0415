package org.tl4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tl4j.train.GrowingPatience.Outcome;

class GrowingPatienceTest {

    @Test
    void significantImprovementGrowsPatienceToIterationTimesIncrease() {
        GrowingPatience rule = new GrowingPatience(100, 2, 0.995);
        assertEquals(Outcome.SIGNIFICANT_IMPROVEMENT, rule.observe(80, 0.5));
        assertEquals(160, rule.patience());
        assertEquals(Outcome.SIGNIFICANT_IMPROVEMENT, rule.observe(150, 0.4));
        assertEquals(300, rule.patience());
        assertFalse(rule.shouldStop(299));
        assertTrue(rule.shouldStop(300));
    }

    @Test
    void tinyImprovementUpdatesBestButNotPatience() {
        GrowingPatience rule = new GrowingPatience(100, 2, 0.995);
        rule.observe(60, 0.5);
        assertEquals(120, rule.patience());
        assertEquals(Outcome.IMPROVEMENT, rule.observe(110, 0.499));
        assertEquals(0.499, rule.best());
        assertEquals(110, rule.bestIteration());
        assertEquals(120, rule.patience());
    }

    @Test
    void worseScoresNeverExtendPatience() {
        GrowingPatience rule = new GrowingPatience(50, 2, 0.995);
        rule.observe(10, 0.3);
        assertEquals(Outcome.NO_IMPROVEMENT, rule.observe(20, 0.31));
        assertEquals(Outcome.NO_IMPROVEMENT, rule.observe(30, Double.NaN));
        assertEquals(50, rule.patience());
        assertTrue(rule.shouldStop(50));
    }

    @Test
    void earlyNoiseCannotStopARunBeforeInitialPatience() {
        // The benchmark's failure mode: a 10-image validation split whose accuracy wobbles in the first epochs.
        GrowingPatience rule = new GrowingPatience(400, 2, 0.995);
        double[] errors = {0.6, 0.7, 0.7, 0.8, 0.7};
        for (int i = 0; i < errors.length; i++) {
            rule.observe((i + 1) * 10L, errors[i]);
        }
        assertFalse(rule.shouldStop(50));
    }

    @Test
    void aRestoredSnapshotCarriesOnAsTheOriginal() {
        GrowingPatience original = new GrowingPatience(10, 2, 0.995);
        original.observe(8, 1.0);
        original.observe(12, 0.5);
        GrowingPatience restored = new GrowingPatience(10, 2, 0.995);
        restored.restore(original.snapshot());
        org.junit.jupiter.api.Assertions.assertEquals(original.snapshot(), restored.snapshot());
        org.junit.jupiter.api.Assertions.assertEquals(original.observe(20, 0.499), restored.observe(20, 0.499));
        org.junit.jupiter.api.Assertions.assertEquals(original.snapshot(), restored.snapshot());
        org.junit.jupiter.api.Assertions.assertEquals(24, restored.patience());
    }
}
