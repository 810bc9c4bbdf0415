package org.tl4j.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class StratifiedSamplerTest {

    /** Item i has label i % 4: 100 items, 25 per class. */
    private static List<Integer> items() {
        List<Integer> items = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            items.add(i);
        }
        return items;
    }

    private static Map<Integer, Long> perClass(List<Integer> items) {
        return items.stream().collect(Collectors.groupingBy(i -> i % 4, Collectors.counting()));
    }

    @Test
    void limitPerClassKeepsNOfEachClassReproducibly() {
        List<Integer> a = StratifiedSampler.limitPerClass(items(), i -> i % 4, 10, 7);
        assertEquals(Map.of(0, 10L, 1, 10L, 2, 10L, 3, 10L), perClass(a));
        assertEquals(a, StratifiedSampler.limitPerClass(items(), i -> i % 4, 10, 7), "same seed, same sample");
        assertNotEquals(a, StratifiedSampler.limitPerClass(items(), i -> i % 4, 10, 8), "another seed, another sample");
        assertEquals(a.stream().sorted().toList(), a, "input order is kept");
    }

    @Test
    void holdOutTakesTheFractionFromEachClassAndNothingTwice() {
        StratifiedSampler.Split<Integer> split = StratifiedSampler.holdOut(items(), i -> i % 4, 0.2, 1);
        assertEquals(Map.of(0, 5L, 1, 5L, 2, 5L, 3, 5L), perClass(split.heldOut()));
        assertEquals(80, split.train().size());
        HashSet<Integer> union = new HashSet<>(split.train());
        union.addAll(split.heldOut());
        assertEquals(100, union.size());
        assertEquals(split.heldOut(), StratifiedSampler.holdOut(items(), i -> i % 4, 0.2, 1).heldOut());
        assertTrue(!split.heldOut().equals(StratifiedSampler.holdOut(items(), i -> i % 4, 0.2, 2).heldOut()));
    }
}
