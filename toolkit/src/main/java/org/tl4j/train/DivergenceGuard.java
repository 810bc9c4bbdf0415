package org.tl4j.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Watches the training loss for divergence (a NaN/Inf, or a loss far above the recent best) and decides what the
 * trainer does: carry on, or restore the last good state and continue with the rate divided by 3. Retries are
 * bounded; every event is kept for run.json.
 */
public final class DivergenceGuard {

    /** What the trainer must do after a loss. */
    public enum Action {
        CONTINUE,
        /** Restore the last good weights and updater state, multiply the rate by {@link #rateFactor()}. */
        RESTORE_AND_REDUCE
    }

    /** One divergence: when, what loss, and the rate factor in force after it. */
    public record Event(long iteration, double loss, double rateFactorAfter) {
    }

    private final double blowUpFactor;
    private final int maxRetries;
    private final List<Event> events = new ArrayList<>();
    private double bestLoss = Double.POSITIVE_INFINITY;
    private double rateFactor = 1.0;

    /**
     * @param blowUpFactor a finite loss counts as divergence when above this times the best loss seen
     * @param maxRetries   how many restores before giving up with {@link TrainingDivergedException}
     */
    public DivergenceGuard(double blowUpFactor, int maxRetries) {
        if (!(blowUpFactor > 1) || maxRetries < 0) {
            throw new IllegalArgumentException("need blow-up factor > 1 and retries >= 0; got " + blowUpFactor
                    + ", " + maxRetries);
        }
        this.blowUpFactor = blowUpFactor;
        this.maxRetries = maxRetries;
    }

    public Action check(long iteration, double loss) {
        boolean diverged = !Double.isFinite(loss) || loss > blowUpFactor * bestLoss;
        if (!diverged) {
            bestLoss = Math.min(bestLoss, loss);
            return Action.CONTINUE;
        }
        if (events.size() >= maxRetries) {
            events.add(new Event(iteration, loss, rateFactor));
            throw new TrainingDivergedException("training diverged " + events.size() + " times (last at update "
                    + iteration + ", loss " + loss + "); lower --lr or check the data", events);
        }
        rateFactor /= BengioLrSearch.STEP;
        events.add(new Event(iteration, loss, rateFactor));
        return Action.RESTORE_AND_REDUCE;
    }

    /** Product of all reductions so far: multiply the planned rate by this. */
    public double rateFactor() {
        return rateFactor;
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    /**
     * The state that changes while training, to store with a checkpoint so a resumed run reacts to the next loss
     * exactly as the uninterrupted run would.
     *
     * @param bestLoss   the best loss seen ({@code Infinity} before any)
     * @param rateFactor the product of the reductions so far
     * @param events     every divergence so far
     */
    public record Snapshot(double bestLoss, double rateFactor, List<Event> events) {
        public Snapshot {
            events = List.copyOf(events);
        }
    }

    /** What {@link #restore} needs. */
    public Snapshot snapshot() {
        return new Snapshot(bestLoss, rateFactor, events);
    }

    /** Carries on from a {@link #snapshot()} of a guard with the same settings. */
    public void restore(Snapshot snapshot) {
        bestLoss = snapshot.bestLoss();
        rateFactor = snapshot.rateFactor();
        events.clear();
        events.addAll(snapshot.events());
    }
}
