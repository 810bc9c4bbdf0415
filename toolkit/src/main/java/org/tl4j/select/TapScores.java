package org.tl4j.select;

import java.util.Locale;
import java.util.Objects;

/**
 * The transferability metrics of one tap's codes on the target's training images.
 *
 * @param tap           tap name (e.g. {@code res4f})
 * @param dimensions    code length after pooling
 * @param probeAccuracy k-fold linear-probe accuracy, in [0, 1]
 * @param logMe         LogME (higher is better)
 * @param hScore        regularised H-score (higher is better)
 */
public record TapScores(String tap, long dimensions, double probeAccuracy, double logMe, double hScore) {

    public TapScores {
        Objects.requireNonNull(tap, "tap");
        if (!(probeAccuracy >= 0 && probeAccuracy <= 1)) {
            throw new IllegalArgumentException("probe accuracy of tap " + tap + " must be in [0, 1], got "
                    + probeAccuracy);
        }
    }

    /** All metrics of one tap's codes, with the given probe. */
    public static TapScores measure(String tap, LabelledCodes codes, LinearProbe probe) {
        return new TapScores(tap, codes.dimensions(), probe.accuracy(codes), LogMe.score(codes), HScore.score(codes));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s (%d dims): probe %.3f, LogME %.3f, H-score %.2f", tap, dimensions,
                probeAccuracy, logMe, hScore);
    }
}
