package org.tl4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Both LR searches on scripted loss curves, so the decisions are checked without training anything. */
class LrSearchTest {

    /** A scripted model: diverges above the edge (loss rises), converges below it. */
    private static double[] scripted(double rate, double edge) {
        return rate > edge ? new double[] {2.3, 3.0, 5.0, 9.0} : new double[] {2.3, 2.0, 1.7, 1.5};
    }

    @Test
    void backsOffByThreeUntilStableThenHalves() {
        BengioLrSearch search = new BengioLrSearch(1.0, 10, 0.1);
        BengioLrSearch.Result result = search.search(rate -> scripted(rate, 0.05));
        List<Double> rates = result.probes().stream().map(BengioLrSearch.ProbeRecord::learningRate)
                .collect(Collectors.toList());
        assertEquals(List.of(1.0, 1.0 / 3, 1.0 / 9, 1.0 / 27), rates);
        assertEquals(1.0 / 27, result.largestStable(), 1e-15);
        assertEquals(1.0 / 54, result.learningRate(), 1e-15);
        assertTrue(result.probes().get(0).diverged());
        assertFalse(result.probes().get(3).diverged());
    }

    @Test
    void nanCountsAsDivergence() {
        BengioLrSearch search = new BengioLrSearch(1.0, 10, 0.1);
        BengioLrSearch.Result result = search.search(rate -> rate > 0.5 ? new double[] {2.3, Double.NaN}
                : new double[] {2.3, 2.2});
        assertEquals(1.0 / 3, result.largestStable(), 1e-15);
    }

    @Test
    void climbsWhenTheStartIsAlreadyStable() {
        BengioLrSearch search = new BengioLrSearch(0.01, 10, 0.1);
        BengioLrSearch.Result result = search.search(rate -> scripted(rate, 0.2));
        assertEquals(0.09, result.largestStable(), 1e-12);
        assertEquals(0.045, result.learningRate(), 1e-12);
        assertTrue(result.probes().get(result.probes().size() - 1).diverged());
    }

    @Test
    void givesUpWithTheProbesWhenEverythingDiverges() {
        BengioLrSearch search = new BengioLrSearch(1.0, 4, 0.1);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> search.search(rate -> new double[] {1, Double.POSITIVE_INFINITY}));
        assertEquals(4, e.history().size());
    }

    @Test
    void rangeTestStopsOnBlowUpAndSuggestsTheSteepestDescent() {
        // Loss falls fastest around 1e-3 (log-space), bottoms near 1e-2, explodes above 1e-1.
        LrRangeTest test = new LrRangeTest(1e-6, 10, 71, 0.0, 4);
        LrRangeTest.Result result = test.run(rate -> {
            double x = Math.log10(rate);
            return x > -1 ? 100 * (x + 2) : 2.0 / (1 + Math.exp(3 * (x + 3))) + 0.1;
        });
        assertTrue(result.stoppedOnBlowUp());
        assertTrue(result.curve().get(result.curve().size() - 1).learningRate() < 1.0);
        assertEquals(-3, Math.log10(result.suggested()), 0.2);
        assertTrue(result.minimumLossRate() > result.suggested());
    }

    @Test
    void rangeTestStopsAtTheFirstNonFiniteLoss() {
        LrRangeTest test = new LrRangeTest(1e-4, 1, 20, 0.9, 4);
        LrRangeTest.Result result = test.run(rate -> rate > 0.1 ? Double.NaN : 1.0 - rate);
        assertTrue(result.stoppedOnBlowUp());
        assertTrue(result.curve().stream().allMatch(p -> p.learningRate() <= 0.1));
    }
}
