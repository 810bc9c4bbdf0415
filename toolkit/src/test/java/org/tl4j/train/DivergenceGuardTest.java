package org.tl4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.tl4j.train.DivergenceGuard.Action;

class DivergenceGuardTest {

    @Test
    void injectedNanRestoresAndDividesTheRateByThree() {
        DivergenceGuard guard = new DivergenceGuard(10, 3);
        assertEquals(Action.CONTINUE, guard.check(1, 2.3));
        assertEquals(Action.CONTINUE, guard.check(2, 2.0));
        assertEquals(Action.RESTORE_AND_REDUCE, guard.check(3, Double.NaN));
        assertEquals(1.0 / 3, guard.rateFactor(), 1e-15);
        assertEquals(1, guard.events().size());
        assertEquals(3, guard.events().get(0).iteration());
    }

    @Test
    void lossFarAboveTheBestCountsAsBlowUp() {
        DivergenceGuard guard = new DivergenceGuard(10, 3);
        guard.check(1, 0.5);
        assertEquals(Action.CONTINUE, guard.check(2, 4.9));
        assertEquals(Action.RESTORE_AND_REDUCE, guard.check(3, 5.1));
    }

    @Test
    void retriesAreBounded() {
        DivergenceGuard guard = new DivergenceGuard(10, 2);
        guard.check(1, 1.0);
        guard.check(2, Double.NaN);
        guard.check(3, Double.NaN);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> guard.check(4, Double.NaN));
        assertEquals(3, e.history().size());
        assertEquals(1.0 / 9, guard.rateFactor(), 1e-15);
    }
}
