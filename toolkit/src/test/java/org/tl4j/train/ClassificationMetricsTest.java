package org.tl4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class ClassificationMetricsTest {

    @Test
    void accuracyTopKPerClassScoresAndConfusionFollowTheirDefinitions() {
        ClassificationMetrics.Accumulator acc = new ClassificationMetrics.Accumulator(List.of("a", "b", "c"));
        // Labels a, a, b, c; predictions a, b, b, b (c never predicted).
        acc.add(Nd4j.createFromArray(new float[][] {
                {0.7f, 0.2f, 0.1f}, {0.3f, 0.6f, 0.1f}, {0.1f, 0.8f, 0.1f}, {0.1f, 0.5f, 0.4f}}),
                Nd4j.createFromArray(new float[][] {{1, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}}));
        ClassificationMetrics m = acc.result("test");
        assertEquals(4, m.images());
        assertEquals(0.5, m.accuracy(), 1e-12);
        assertEquals(3, m.topK(), "top-5 is capped at the number of classes");
        assertEquals(1.0, m.topKAccuracy(), 1e-12);
        assertArrayEquals(new int[] {1, 1, 0}, m.confusion()[0]);
        assertArrayEquals(new int[] {0, 1, 0}, m.confusion()[1]);
        assertArrayEquals(new int[] {0, 1, 0}, m.confusion()[2]);
        assertEquals(1.0, m.perClass().get(0).precision(), 1e-12);
        assertEquals(0.5, m.perClass().get(0).recall(), 1e-12);
        assertEquals(2.0 / 3, m.perClass().get(0).f1(), 1e-12);
        assertEquals(1.0 / 3, m.perClass().get(1).precision(), 1e-12);
        assertEquals(0.0, m.perClass().get(2).precision(), "a class never predicted has precision 0, not NaN");
        assertEquals(0.0, m.perClass().get(2).f1());
        double loss = -(Math.log(0.7) + Math.log(0.3) + Math.log(0.8) + Math.log(0.4)) / 4;
        assertEquals(loss, m.meanLoss(), 1e-6);
    }

    @Test
    void topTwoCountsALabelRankedSecond() {
        ClassificationMetrics.Accumulator acc = new ClassificationMetrics.Accumulator(
                List.of("a", "b", "c", "d", "e", "f"));
        acc.add(Nd4j.createFromArray(new float[][] {{0.30f, 0.25f, 0.2f, 0.1f, 0.1f, 0.05f}}),
                Nd4j.createFromArray(new float[][] {{0, 0, 0, 0, 0, 1}}));
        ClassificationMetrics m = acc.result("x");
        assertEquals(5, m.topK());
        assertEquals(0.0, m.topKAccuracy(), "the label is ranked 6th of 6");
    }
}
