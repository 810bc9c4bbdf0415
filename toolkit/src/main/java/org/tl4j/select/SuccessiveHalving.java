package org.tl4j.select;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Successive halving (Jamieson and Talwalkar, AISTATS 2016; the inner loop of Hyperband, Li et al., JMLR 2018):
 * every candidate is tried with a small budget, the better half (rounded up) goes on with twice the budget, and so
 * on until one remains. Written by hand because it is a dozen lines around the trials, which are tl4j's own runs.
 *
 * <p>Scores are higher-is-better (validation accuracy). Ties are broken by the candidates' order, earlier first:
 * the caller lists them in order of preference (the selector's advice first), so equal scores keep its choice.
 */
public final class SuccessiveHalving {

    /** One trial: a candidate trained with a budget, scored on validation data. */
    @FunctionalInterface
    public interface Trial<C> {
        /**
         * @param candidate the candidate
         * @param budget    the budget of this rung (doubles from rung to rung)
         * @return its score, higher is better
         */
        double score(C candidate, int budget) throws IOException;
    }

    /** Told before each trial, for progress lines. */
    @FunctionalInterface
    public interface Listener<C> {
        /**
         * @param number 1-based number of this trial among all trials the schedule will run
         * @param total  trials the schedule runs in all
         */
        void starting(int number, int total, int rung, C candidate, int budget);
    }

    /**
     * One finished trial.
     *
     * @param candidate index into the candidate list
     * @param rung      0 for the first rung
     * @param budget    the budget it had
     * @param score     its score
     */
    public record Result(int candidate, int rung, int budget, double score) {
    }

    /**
     * @param winner  index of the candidate that remained
     * @param results every trial, in the order run
     */
    public record Outcome(int winner, List<Result> results) {
        public Outcome {
            results = List.copyOf(results);
        }

        /** The winner's score at the highest budget it was tried with, or NaN when nothing was tried. */
        public double winnerScore() {
            return results.stream().filter(r -> r.candidate() == winner).reduce((a, b) -> b).map(Result::score)
                    .orElse(Double.NaN);
        }
    }

    private SuccessiveHalving() {
    }

    /** Trials the schedule runs for {@code candidates} candidates: n + ceil(n/2) + ... down to 2 (none for one). */
    public static int trialCount(int candidates) {
        int total = 0;
        for (int n = candidates; n > 1; n = (n + 1) / 2) {
            total += n;
        }
        return total;
    }

    /**
     * Runs the schedule.
     *
     * @param candidates  in order of preference (ties go to the earlier)
     * @param firstBudget the first rung's budget (at least 1)
     * @param trial       trains and scores one candidate
     * @param listener    told before each trial
     * @return the winner and every trial; a single candidate wins without a trial
     */
    public static <C> Outcome run(List<C> candidates, int firstBudget, Trial<C> trial, Listener<C> listener)
            throws IOException {
        Objects.requireNonNull(trial, "trial");
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("successive halving needs at least one candidate");
        }
        if (firstBudget < 1) {
            throw new IllegalArgumentException("the first budget must be at least 1, got " + firstBudget);
        }
        List<Integer> alive = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            alive.add(i);
        }
        List<Result> results = new ArrayList<>();
        int total = trialCount(candidates.size());
        int budget = firstBudget;
        for (int rung = 0; alive.size() > 1; rung++) {
            List<Result> rungResults = new ArrayList<>();
            for (int index : alive) {
                if (listener != null) {
                    listener.starting(results.size() + 1, total, rung, candidates.get(index), budget);
                }
                double score = trial.score(candidates.get(index), budget);
                if (Double.isNaN(score)) {
                    throw new IllegalStateException("trial of candidate " + index + " at budget " + budget
                            + " gave no score (NaN)");
                }
                Result r = new Result(index, rung, budget, score);
                rungResults.add(r);
                results.add(r);
            }
            // Best score first; equal scores keep the candidates' order of preference.
            rungResults.sort(Comparator.comparingDouble(Result::score).reversed()
                    .thenComparingInt(Result::candidate));
            int keep = (alive.size() + 1) / 2;
            alive = rungResults.subList(0, keep).stream().map(Result::candidate).sorted().toList();
            budget *= 2;
        }
        return new Outcome(alive.get(0), results);
    }
}
