package org.tl4j.select;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.tl4j.train.LrPlan;
import org.tl4j.zoo.spec.AdapterSpec;

/**
 * The selector's recommendation and why.
 *
 * @param strategy what to do
 * @param tap      where to read codes (linear, SVM) or put the new head (fine-tuning); the top tap for SCRATCH
 * @param plan     the learning-rate plan's parameters for strategies that train the network (null for those
 *                 that train a classifier on frozen codes)
 * @param cost     expected cost
 * @param reasons  the facts and comparisons behind the choice, in words that quote the numbers
 * @param trials   the short trials behind the choice ({@code --advise-by-trial}), in the order run; empty when the
 *                 advice comes from the measurements alone
 */
public record Advice(Strategy strategy, String tap, PlanParameters plan, Cost cost, List<String> reasons,
                     List<Trial> trials) {

    public Advice {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(tap, "tap");
        Objects.requireNonNull(cost, "cost");
        reasons = List.copyOf(reasons);
        trials = trials == null ? List.of() : List.copyOf(trials);
    }

    /** Advice from the measurements alone (no trials). */
    public Advice(Strategy strategy, String tap, PlanParameters plan, Cost cost, List<String> reasons) {
        this(strategy, tap, plan, cost, reasons, List.of());
    }

    /** This advice with other reasons and the trials that chose it. */
    public Advice withTrials(List<String> newReasons, List<Trial> newTrials) {
        return new Advice(strategy, tap, plan, cost, newReasons, newTrials);
    }

    /**
     * One short trial of a candidate ({@link AdviceTrials}).
     *
     * @param strategy           the candidate's strategy
     * @param tap                its tap
     * @param rung               successive-halving rung, 0 first
     * @param budget             the budget it had, in {@code budgetUnit}
     * @param budgetUnit         {@code epochs} for strategies trained by epochs; {@code converged} for the SVM,
     *                           which is trained to convergence whatever the budget
     * @param trainImages        images it trained on (a subsample of the training split)
     * @param validationImages   images its validation accuracy was measured on (carved from the training split)
     * @param validationAccuracy accuracy on those images
     * @param seconds            wall time of the trial
     */
    public record Trial(Strategy strategy, String tap, int rung, int budget, String budgetUnit, int trainImages,
                        int validationImages, double validationAccuracy, double seconds) {

        @Override
        public String toString() {
            String spent = "converged".equals(budgetUnit) ? "trained to convergence"
                    : budget + " " + (budget == 1 && budgetUnit.endsWith("s")
                    ? budgetUnit.substring(0, budgetUnit.length() - 1) : budgetUnit);
            return String.format(java.util.Locale.ROOT, "rung %d: %s at %s, %s on %d images -> validation accuracy"
                    + " %.3f (%d images)", rung, strategy, tap, spent, trainImages, validationAccuracy,
                    validationImages);
        }
    }

    /**
     * Arguments of {@link LrPlan#of}: base rate, {@code group=multiplier} overrides, discriminative factor.
     *
     * @param baseRate       the head's learning rate
     * @param overrides      e.g. {@code stem=0,res2=0} (frozen groups); empty for none
     * @param discriminative D for a geometric spread, or null
     * @param epochs         epochs the cost estimate assumes
     */
    public record PlanParameters(double baseRate, String overrides, Double discriminative, int epochs) {

        /** The plan for an adapter's graph. */
        public LrPlan toLrPlan(AdapterSpec spec, Collection<String> trainableLayers) {
            return LrPlan.of(spec, trainableLayers, baseRate, overrides, Optional.ofNullable(discriminative));
        }
    }

    /**
     * Expected cost, in passes of the network over the training images.
     *
     * @param forwardPasses  forward-pass equivalents over the training set (a training epoch counts about 3)
     * @param imagePasses    forward-pass equivalents in images (forwardPasses x training images)
     * @param minutes        at the measured throughput, or null when no throughput was given
     */
    public record Cost(double forwardPasses, long imagePasses, Double minutes) {
    }

    /** The advice as text: one line with the strategy and tap, then the reasons. */
    public String describe() {
        StringBuilder s = new StringBuilder("advice: ").append(strategy).append(" at tap ").append(tap);
        if (plan != null) {
            s.append(String.format(java.util.Locale.ROOT, ", base rate %.3g%s%s, %d epochs", plan.baseRate(),
                    plan.overrides().isEmpty() ? "" : ", lr-mult " + plan.overrides(),
                    plan.discriminative() == null ? "" : ", discriminative " + plan.discriminative(), plan.epochs()));
        }
        s.append(String.format(java.util.Locale.ROOT, "%nexpected cost: %.1f passes over the training images"
                + " (%d image passes)%s%n", cost.forwardPasses(), cost.imagePasses(),
                cost.minutes() == null ? "" : String.format(java.util.Locale.ROOT, ", about %.1f minutes",
                        cost.minutes())));
        for (String reason : reasons) {
            s.append("  - ").append(reason).append(System.lineSeparator());
        }
        return s.toString();
    }
}
