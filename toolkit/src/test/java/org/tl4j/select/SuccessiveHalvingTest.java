package org.tl4j.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Successive halving with scripted candidates whose scores are known in advance. */
class SuccessiveHalvingTest {

    /** A candidate whose score at a budget is its base plus a slope times log2 of the budget. */
    private record Scripted(String name, double base, double slope) {
        double score(int budget) {
            return base + slope * (Math.log(budget) / Math.log(2));
        }
    }

    @Test
    void theBestCandidateWinsAndBudgetsDoubleWhileTheBetterHalfGoesOn() throws Exception {
        List<Scripted> candidates = List.of(new Scripted("a", 0.30, 0.0), new Scripted("b", 0.50, 0.05),
                new Scripted("c", 0.45, 0.20), new Scripted("d", 0.10, 0.0));
        List<String> started = new ArrayList<>();
        SuccessiveHalving.Outcome o = SuccessiveHalving.run(candidates, 3, (c, budget) -> c.score(budget),
                (n, total, rung, c, budget) -> started.add(n + "/" + total + " " + rung + " " + c.name() + " " + budget));
        // Rung 0 (budget 3): b 0.579, c 0.767, a 0.30, d 0.10 -> c and b go on; rung 1 (budget 6): c 0.967 wins.
        assertEquals(2, o.winner());
        assertEquals(6, o.results().size());
        assertEquals(List.of(3, 3, 3, 3, 6, 6), o.results().stream().map(SuccessiveHalving.Result::budget).toList());
        assertEquals(List.of(0, 0, 0, 0, 1, 1), o.results().stream().map(SuccessiveHalving.Result::rung).toList());
        assertEquals(List.of(1, 2), o.results().subList(4, 6).stream().map(SuccessiveHalving.Result::candidate)
                .toList(), "the better half of rung 0 (b and c), in candidate order");
        assertEquals(candidates.get(2).score(6), o.winnerScore(), 1e-12);
        assertEquals(List.of("1/6 0 a 3", "2/6 0 b 3", "3/6 0 c 3", "4/6 0 d 3", "5/6 1 b 6", "6/6 1 c 6"), started);
    }

    @Test
    void threeCandidatesKeepTwoThenOneAndTheBudgetDoublesAgain() throws Exception {
        Map<String, double[]> scores = Map.of("x", new double[] {0.2, 0.9, 0.0}, "y", new double[] {0.6, 0.5, 0.0},
                "z", new double[] {0.5, 0.6, 0.0});
        List<Integer> budgets = new ArrayList<>();
        SuccessiveHalving.Outcome o = SuccessiveHalving.run(List.of("x", "y", "z"), 1, (c, budget) -> {
            budgets.add(budget);
            return scores.get(c)[Integer.numberOfTrailingZeros(budget)];
        }, null);
        // x is dropped at rung 0 even though it would have won with more budget: that is the schedule's bargain.
        assertEquals(List.of(1, 1, 1, 2, 2), budgets);
        assertEquals(2, o.winner());
        assertEquals(SuccessiveHalving.trialCount(3), o.results().size());
    }

    @Test
    void tiesGoToTheEarlierCandidateInEveryRung() throws Exception {
        for (int run = 0; run < 3; run++) {
            SuccessiveHalving.Outcome o = SuccessiveHalving.run(List.of("first", "second", "third"), 2,
                    (c, budget) -> 0.5, null);
            assertEquals(0, o.winner(), "equal scores keep the order of preference");
            assertEquals(List.of(0, 1, 2, 0, 1), o.results().stream().map(SuccessiveHalving.Result::candidate)
                    .toList());
        }
        SuccessiveHalving.Outcome o = SuccessiveHalving.run(List.of("a", "b"), 1,
                (c, budget) -> c.equals("b") ? 0.7 : 0.7, null);
        assertEquals(0, o.winner());
    }

    @Test
    void aSingleCandidateWinsWithoutATrialAndBadArgumentsAreRefused() throws Exception {
        SuccessiveHalving.Outcome o = SuccessiveHalving.run(List.of("only"), 1, (c, b) -> {
            throw new AssertionError("no trial for a single candidate");
        }, null);
        assertEquals(0, o.winner());
        assertTrue(o.results().isEmpty());
        assertTrue(Double.isNaN(o.winnerScore()));
        assertEquals(0, SuccessiveHalving.trialCount(1));
        assertEquals(3 + 2, SuccessiveHalving.trialCount(3));
        assertEquals(5 + 3 + 2, SuccessiveHalving.trialCount(5));
        assertThrows(IllegalArgumentException.class, () -> SuccessiveHalving.run(List.of(), 1, (c, b) -> 0, null));
        assertThrows(IllegalArgumentException.class, () -> SuccessiveHalving.run(List.of("a"), 0, (c, b) -> 0, null));
        assertThrows(IllegalStateException.class, () -> SuccessiveHalving.run(List.of("a", "b"), 1,
                (c, b) -> Double.NaN, null));
    }
}
