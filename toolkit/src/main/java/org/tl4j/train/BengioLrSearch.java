package org.tl4j.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Bengio's (2012) heuristic for the initial learning rate: start large; run a short probe; if the training loss
 * diverges, divide the rate by 3 and probe again. The rate used is about a factor of 2 below the largest that did
 * not diverge, "since the optimal learning rate is usually close to (by a factor of 2) the largest learning rate
 * that does not cause divergence". When the first rate already converges, the search climbs by 3 until it finds
 * divergence (or runs out of probes), so the answer is not just the starting guess.
 *
 * <p>Pure: each probe is delegated to a {@link Probe}, which the trainer implements by running a few updates from
 * the same starting weights. Every probe is recorded for run.json.
 */
public final class BengioLrSearch {

    /** Runs a short training probe at one rate from the same starting weights and returns its losses in order. */
    @FunctionalInterface
    public interface Probe {
        double[] lossesAt(double learningRate);
    }

    /** One probe: the rate, its losses, and whether it counted as divergence. */
    public record ProbeRecord(double learningRate, double firstLoss, double lastLoss, boolean diverged) {
    }

    /** The chosen rate and every probe in the order run. */
    public record Result(double learningRate, double largestStable, List<ProbeRecord> probes) {
    }

    /** Divide (or multiply) by this between probes. */
    public static final double STEP = 3.0;
    /** Chosen rate = largest stable / this. */
    public static final double SAFETY = 2.0;

    private final double startRate;
    private final int maxProbes;
    private final double riseTolerance;

    /**
     * @param startRate     the first, deliberately large, rate
     * @param maxProbes     upper bound on probes (each costs a few updates)
     * @param riseTolerance the last loss counts as divergence when above first * (1 + tolerance)
     */
    public BengioLrSearch(double startRate, int maxProbes, double riseTolerance) {
        if (!(startRate > 0) || maxProbes < 2 || !(riseTolerance >= 0)) {
            throw new IllegalArgumentException("need start rate > 0, at least 2 probes, tolerance >= 0; got "
                    + startRate + ", " + maxProbes + ", " + riseTolerance);
        }
        this.startRate = startRate;
        this.maxProbes = maxProbes;
        this.riseTolerance = riseTolerance;
    }

    /** Divergence: a non-finite loss anywhere, or a last loss clearly above the first. */
    public boolean diverged(double[] losses) {
        if (losses.length == 0) {
            throw new IllegalArgumentException("a probe must report at least one loss");
        }
        for (double loss : losses) {
            if (!Double.isFinite(loss)) {
                return true;
            }
        }
        return losses[losses.length - 1] > losses[0] * (1 + riseTolerance);
    }

    public Result search(Probe probe) {
        List<ProbeRecord> probes = new ArrayList<>();
        double rate = startRate;
        ProbeRecord first = run(probe, rate, probes);
        double largestStable;
        if (first.diverged()) {
            // Walk down by 3 until a probe converges.
            ProbeRecord last = first;
            while (last.diverged() && probes.size() < maxProbes) {
                rate /= STEP;
                last = run(probe, rate, probes);
            }
            if (last.diverged()) {
                throw new TrainingDivergedException("every learning rate from " + startRate + " down to " + rate
                        + " diverged in " + probes.size() + " probes; start lower with --lr or check the data", probes);
            }
            largestStable = rate;
        } else {
            // Climb by 3 until divergence shows where the edge is.
            largestStable = rate;
            while (probes.size() < maxProbes) {
                rate *= STEP;
                if (run(probe, rate, probes).diverged()) {
                    break;
                }
                largestStable = rate;
            }
        }
        return new Result(largestStable / SAFETY, largestStable, List.copyOf(probes));
    }

    private ProbeRecord run(Probe probe, double rate, List<ProbeRecord> probes) {
        double[] losses = probe.lossesAt(rate);
        ProbeRecord record = new ProbeRecord(rate, losses.length == 0 ? Double.NaN : losses[0],
                losses.length == 0 ? Double.NaN : losses[losses.length - 1], diverged(losses));
        probes.add(record);
        return record;
    }
}
