package org.tl4j.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The candidates {@code --advise-by-trial} tries, from the selector's own evidence. */
class TrialCandidatesTest {

    private static final List<String> GROUPS = List.of("stem", "res2", "res3", "res4", "res5", "head");

    private static SelectorEvidence evidence(int perClass, double res4f, double avgpool, double random,
                                             boolean trained) {
        int[] counts = new int[10];
        Arrays.fill(counts, perClass);
        List<TapScores> taps = List.of(new TapScores("res4f", 256, res4f, -0.7, 2.0),
                new TapScores("avgpool", 512, avgpool, -0.4, 3.5));
        List<TapScores> randomInit = taps.stream().map(t -> new TapScores(t.tap(), t.dimensions(), random, -1, 0.5))
                .toList();
        return new SelectorEvidence(SizeFacts.ofCounts(counts), taps, randomInit, OptionalDouble.empty(),
                OptionalDouble.empty(), GROUPS, OptionalDouble.of(100), trained, true);
    }

    private static List<Strategy> strategies(List<Advice> candidates) {
        return candidates.stream().map(Advice::strategy).toList();
    }

    @Test
    void featuresThatDoNotHelpOnASmallTargetAreTriedAgainstFineTuningAllAndScratch() {
        // Digits, 8 per class: probe 0.388 against random weights 0.613 -> the features do not help, but 8 per class
        // is too few for scratch, so an SVM on the best tap comes first; the trials check that by training.
        List<Advice> c = StrategySelector.withDefaults().candidates(evidence(8, 0.388, 0.363, 0.613, true), 3);
        assertEquals(List.of(Strategy.SVM_ON_EARLIER_TAP, Strategy.FINE_TUNE_ALL, Strategy.SCRATCH), strategies(c));
        assertEquals("res4f", c.get(0).tap());
        assertTrue(c.get(1).reasons().get(0).startsWith("trial candidate"), c.get(1).reasons().toString());
        assertEquals(10.0, c.get(1).plan().discriminative());
        assertEquals(List.of(Strategy.SVM_ON_EARLIER_TAP, Strategy.FINE_TUNE_ALL),
                strategies(StrategySelector.withDefaults().candidates(evidence(8, 0.388, 0.363, 0.613, true), 2)));
    }

    @Test
    void transferAdviceComesFirstWithTheMoreAdaptingStrategyAndScratchAfter() {
        List<Advice> small = StrategySelector.withDefaults().candidates(evidence(10, 0.90, 0.95, 0.5, true), 3);
        assertEquals(List.of(Strategy.LINEAR_ON_CODES, Strategy.FINE_TUNE_ALL, Strategy.SCRATCH), strategies(small));
        assertEquals(StrategySelector.withDefaults().advise(evidence(10, 0.90, 0.95, 0.5, true)), small.get(0));

        List<Advice> largeSimilar = StrategySelector.withDefaults().candidates(evidence(400, 0.9, 0.97, 0.5, true), 3);
        assertEquals(List.of(Strategy.FINE_TUNE_TOP, Strategy.FINE_TUNE_ALL, Strategy.SCRATCH),
                strategies(largeSimilar));
        List<Advice> largeDifferent = StrategySelector.withDefaults().candidates(evidence(400, 0.7, 0.6, 0.3, true),
                3);
        assertEquals(List.of(Strategy.FINE_TUNE_ALL, Strategy.FINE_TUNE_TOP, Strategy.SCRATCH),
                strategies(largeDifferent));
        assertTrue(largeDifferent.get(1).plan().overrides().contains("stem=0"), largeDifferent.get(1).toString());
    }

    @Test
    void anUntrainedSourceHasScratchAsItsOnlyCandidate() {
        List<Advice> c = StrategySelector.withDefaults().candidates(evidence(10, 0.5, 0.5, 0.5, false), 3);
        assertEquals(List.of(Strategy.SCRATCH), strategies(c));
    }
}
