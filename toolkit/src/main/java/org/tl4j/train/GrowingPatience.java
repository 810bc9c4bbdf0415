package org.tl4j.train;

/**
 * Early stopping whose patience grows when the validation score improves significantly, as in the Theano
 * deep-learning tutorials that follow Bengio (2012): after a significant improvement at iteration i,
 * {@code patience = max(patience, i * patienceIncrease)}; training stops once the iteration reaches the patience.
 * A run that keeps improving therefore keeps going, while a tiny validation split's noise cannot stop it after
 * one or two epochs.
 *
 * <p>The score is always "lower is better" (a loss or an error rate). Pass 1 - accuracy, not accuracy: mixing up
 * the direction is DL4J's own early-stopping pitfall (upstream issue 5459).
 */
public final class GrowingPatience {

    private final double patienceIncrease;
    private final double improvementThreshold;
    private long patience;
    private double best = Double.POSITIVE_INFINITY;
    private long bestIteration = -1;

    /**
     * @param initialPatience      iterations to run at least
     * @param patienceIncrease     factor applied to the iteration of a significant improvement (tutorials: 2)
     * @param improvementThreshold a new score counts as significant when below best * threshold (tutorials: 0.995)
     */
    public GrowingPatience(long initialPatience, double patienceIncrease, double improvementThreshold) {
        if (initialPatience <= 0 || !(patienceIncrease >= 1) || !(improvementThreshold > 0 && improvementThreshold <= 1)) {
            throw new IllegalArgumentException("need patience > 0, increase >= 1, 0 < threshold <= 1; got "
                    + initialPatience + ", " + patienceIncrease + ", " + improvementThreshold);
        }
        this.patience = initialPatience;
        this.patienceIncrease = patienceIncrease;
        this.improvementThreshold = improvementThreshold;
    }

    /** What one validation score did. */
    public enum Outcome {
        /** A new best, below best * threshold: patience may have grown. */
        SIGNIFICANT_IMPROVEMENT,
        /** A new best, but too small to extend patience. */
        IMPROVEMENT,
        /** Not better than the best so far. */
        NO_IMPROVEMENT
    }

    /** Records the validation score measured after {@code iteration} updates (1-based count). */
    public Outcome observe(long iteration, double score) {
        if (Double.isNaN(score)) {
            return Outcome.NO_IMPROVEMENT;
        }
        if (score >= best) {
            return Outcome.NO_IMPROVEMENT;
        }
        boolean significant = score < best * improvementThreshold || best == Double.POSITIVE_INFINITY;
        best = score;
        bestIteration = iteration;
        if (significant) {
            patience = Math.max(patience, (long) Math.ceil(iteration * patienceIncrease));
            return Outcome.SIGNIFICANT_IMPROVEMENT;
        }
        return Outcome.IMPROVEMENT;
    }

    /** True once training has used up its patience. */
    public boolean shouldStop(long iteration) {
        return iteration >= patience;
    }

    public long patience() {
        return patience;
    }

    public double best() {
        return best;
    }

    /** Iteration of the best score, -1 before any. */
    public long bestIteration() {
        return bestIteration;
    }

    /**
     * The state that changes while training, to store in a checkpoint.
     *
     * @param patience      the current patience
     * @param best          the best score so far ({@code Infinity} before any)
     * @param bestIteration the iteration of the best score, -1 before any
     */
    public record Snapshot(long patience, double best, long bestIteration) {
    }

    /** What {@link #restore} needs to carry on exactly where this object stands. */
    public Snapshot snapshot() {
        return new Snapshot(patience, best, bestIteration);
    }

    /** Carries on from a {@link #snapshot()} (of an object with the same increase and threshold). */
    public void restore(Snapshot snapshot) {
        if (snapshot.patience() <= 0) {
            throw new IllegalArgumentException("a saved patience must be positive, got " + snapshot.patience());
        }
        patience = snapshot.patience();
        best = snapshot.best();
        bestIteration = snapshot.bestIteration();
    }
}
