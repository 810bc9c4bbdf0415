package org.tl4j.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class CodesEngineBenchTest {

    @Test
    void pairedRatiosCompareEnginesWithinEachRound() {
        List<CodesEngineBench.Sample> samples = List.of(
                new CodesEngineBench.Sample("a", 0, 110, 1), new CodesEngineBench.Sample("b", 0, 100, 1),
                new CodesEngineBench.Sample("a", 0, 130, 1), new CodesEngineBench.Sample("b", 0, 100, 1),
                new CodesEngineBench.Sample("a", 1, 400, 9), new CodesEngineBench.Sample("b", 1, 400, 9));
        // round 0: median a = 120 ms, b = 100 ms -> a runs at 100/120 of b's speed; round 1: equal.
        assertArrayEquals(new double[] {100.0 / 120.0, 1.0}, CodesEngineBench.pairedRatios(samples, "a", "b"), 1e-12);
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2.0, CodesEngineBench.median(new double[] {3, 1, 2}));
        assertEquals(2.5, CodesEngineBench.median(new double[] {4, 1, 2, 3}));
    }
}
