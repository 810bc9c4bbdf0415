package org.tl4j.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class EngineBenchTest {

    @Test
    void pairedRatiosCompareEnginesWithinEachRound() {
        List<EngineBench.Sample> samples = List.of(
                new EngineBench.Sample("a", 0, 110, 1), new EngineBench.Sample("b", 0, 100, 1),
                new EngineBench.Sample("a", 0, 130, 1), new EngineBench.Sample("b", 0, 100, 1),
                new EngineBench.Sample("a", 1, 400, 9), new EngineBench.Sample("b", 1, 400, 9));
        // round 0: median a = 120 ms, b = 100 ms -> a runs at 100/120 of b's speed; round 1: equal.
        assertArrayEquals(new double[] {100.0 / 120.0, 1.0}, EngineBench.pairedRatios(samples, "a", "b"), 1e-12);
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2.0, EngineBench.median(new double[] {3, 1, 2}));
        assertEquals(2.5, EngineBench.median(new double[] {4, 1, 2, 3}));
    }
}
