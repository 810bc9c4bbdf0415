package org.tl4j.train;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * When to write a checkpoint and which ones to keep: one every {@code everyUpdates} updates and/or every
 * {@code every} of wall time, whichever comes first; the newest {@code keepLast} are kept, plus the one with the
 * best (lowest) score when {@code keepBest} is set.
 *
 * @param everyUpdates updates between checkpoints, 0 for no update-based trigger
 * @param every        wall time between checkpoints, {@link Duration#ZERO} for no time-based trigger
 * @param keepLast     how many of the newest checkpoints to keep (at least 1)
 * @param keepBest     also keep the best-scoring checkpoint, however old
 */
public record CheckpointPolicy(long everyUpdates, Duration every, int keepLast, boolean keepBest) {

    public CheckpointPolicy {
        if (everyUpdates < 0) {
            throw new IllegalArgumentException("checkpoint interval must be >= 0 updates, got " + everyUpdates);
        }
        if (every == null || every.isNegative()) {
            throw new IllegalArgumentException("checkpoint interval must be a non-negative duration, got " + every);
        }
        if (everyUpdates == 0 && every.isZero()) {
            throw new IllegalArgumentException("a checkpoint policy needs an update count or a duration above 0");
        }
        if (keepLast < 1) {
            throw new IllegalArgumentException("keep at least the last checkpoint, got keepLast=" + keepLast);
        }
    }

    /** Every {@code n} updates, keeping the last {@code keepLast} and the best. */
    public static CheckpointPolicy everyUpdates(long n, int keepLast) {
        return new CheckpointPolicy(n, Duration.ZERO, keepLast, true);
    }

    /** Whether a checkpoint is due, {@code updates} updates and {@code elapsed} time after the last one. */
    public boolean due(long updates, Duration elapsed) {
        return (everyUpdates > 0 && updates >= everyUpdates) || (!every.isZero() && elapsed.compareTo(every) >= 0);
    }

    /**
     * The checkpoints retention removes: all but the newest {@code keepLast} (by iteration) and, with
     * {@code keepBest}, the lowest-scoring one (the earliest among equals).
     */
    public List<CheckpointState> toDelete(List<CheckpointState> all) {
        List<CheckpointState> byAge = new ArrayList<>(all);
        byAge.sort(Comparator.comparingLong(CheckpointState::iteration).reversed());
        Set<CheckpointState> keep = new LinkedHashSet<>(byAge.subList(0, Math.min(keepLast, byAge.size())));
        if (keepBest) {
            all.stream().filter(s -> s.score() != null && !s.score().isNaN())
                    .min(Comparator.comparingDouble(CheckpointState::score)
                            .thenComparingLong(CheckpointState::iteration))
                    .ifPresent(keep::add);
        }
        return byAge.stream().filter(s -> !keep.contains(s)).toList();
    }
}
