package org.tl4j.train;

import java.util.ArrayList;
import java.util.List;

/**
 * The learning-rate range test (Smith 2017; fastai's lr_find): raise the rate exponentially from min to max, one
 * update per step, track an exponentially smoothed, bias-corrected loss, and stop once it blows up. Suggests the
 * rate where the smoothed loss falls fastest against log(rate) ("steep"), and reports the minimum for reference.
 *
 * <p>Pure: each update is delegated to a {@link Step}; the trainer snapshots the weights before and restores them
 * after, so the test leaves the model as it found it.
 */
public final class LrRangeTest {

    /** Runs one update at the given rate and returns its training loss. */
    @FunctionalInterface
    public interface Step {
        double lossAt(double learningRate);
    }

    /** One point of the curve. */
    public record Point(double learningRate, double loss, double smoothedLoss) {
    }

    /** The curve (for the report's plot) and the suggestions. */
    public record Result(List<Point> curve, double suggested, double minimumLossRate, boolean stoppedOnBlowUp) {
    }

    private final double minRate;
    private final double maxRate;
    private final int steps;
    private final double smoothing;
    private final double blowUpFactor;

    /**
     * @param minRate      first rate
     * @param maxRate      last rate
     * @param steps        number of updates (rates are spaced geometrically)
     * @param smoothing    EMA factor for the loss (fastai: 0.98)
     * @param blowUpFactor stop when smoothed loss exceeds this times its minimum (fastai: 4)
     */
    public LrRangeTest(double minRate, double maxRate, int steps, double smoothing, double blowUpFactor) {
        if (!(minRate > 0) || !(maxRate > minRate) || steps < 5 || !(smoothing >= 0 && smoothing < 1)
                || !(blowUpFactor > 1)) {
            throw new IllegalArgumentException("need 0 < min < max, steps >= 5, 0 <= smoothing < 1, blow-up > 1; got "
                    + minRate + ", " + maxRate + ", " + steps + ", " + smoothing + ", " + blowUpFactor);
        }
        this.minRate = minRate;
        this.maxRate = maxRate;
        this.steps = steps;
        this.smoothing = smoothing;
        this.blowUpFactor = blowUpFactor;
    }

    public Result run(Step step) {
        double ratio = Math.pow(maxRate / minRate, 1.0 / (steps - 1));
        List<Point> curve = new ArrayList<>();
        double average = 0;
        double best = Double.POSITIVE_INFINITY;
        boolean blewUp = false;
        for (int i = 0; i < steps; i++) {
            double rate = minRate * Math.pow(ratio, i);
            double loss = step.lossAt(rate);
            if (!Double.isFinite(loss)) {
                blewUp = true;
                break;
            }
            average = smoothing * average + (1 - smoothing) * loss;
            double smoothed = average / (1 - Math.pow(smoothing, i + 1));
            curve.add(new Point(rate, loss, smoothed));
            best = Math.min(best, smoothed);
            if (i > 0 && smoothed > blowUpFactor * best) {
                blewUp = true;
                break;
            }
        }
        if (curve.size() < 3) {
            throw new TrainingDivergedException("the loss blew up within " + curve.size() + " steps from rate "
                    + minRate + "; lower the range's minimum", curve);
        }
        return new Result(List.copyOf(curve), steepest(curve), minimumLossRate(curve), blewUp);
    }

    /** Rate at the most negative slope of smoothed loss against log(rate), before the minimum. */
    private static double steepest(List<Point> curve) {
        int end = indexOfMinimum(curve);
        double bestSlope = Double.POSITIVE_INFINITY;
        double rate = curve.get(0).learningRate();
        for (int i = 1; i <= Math.max(1, end); i++) {
            Point a = curve.get(i - 1);
            Point b = curve.get(i);
            double slope = (b.smoothedLoss() - a.smoothedLoss()) / Math.log(b.learningRate() / a.learningRate());
            if (slope < bestSlope) {
                bestSlope = slope;
                rate = b.learningRate();
            }
        }
        return rate;
    }

    private static double minimumLossRate(List<Point> curve) {
        return curve.get(indexOfMinimum(curve)).learningRate();
    }

    private static int indexOfMinimum(List<Point> curve) {
        int index = 0;
        for (int i = 1; i < curve.size(); i++) {
            if (curve.get(i).smoothedLoss() < curve.get(index).smoothedLoss()) {
                index = i;
            }
        }
        return index;
    }
}
