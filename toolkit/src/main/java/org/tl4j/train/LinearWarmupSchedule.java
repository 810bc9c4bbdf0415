package org.tl4j.train;

import java.util.Objects;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Ramps the rate linearly from {@code after.valueAt(0)/warmupIterations} up to the wrapped schedule over the
 * first iterations, then follows it: large rates on freshly initialised heads otherwise wreck pretrained features
 * in the first updates.
 */
public final class LinearWarmupSchedule implements ISchedule {

    private final ISchedule after;
    private final int warmupIterations;

    public LinearWarmupSchedule(@JsonProperty("after") ISchedule after,
                                @JsonProperty("warmupIterations") int warmupIterations) {
        if (warmupIterations <= 0) {
            throw new IllegalArgumentException("warm-up length must be a positive number of iterations, got "
                    + warmupIterations);
        }
        this.after = Objects.requireNonNull(after, "after");
        this.warmupIterations = warmupIterations;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        double target = after.valueAt(iteration, epoch);
        return iteration >= warmupIterations ? target : target * (iteration + 1) / warmupIterations;
    }

    @Override
    public ISchedule clone() {
        return new LinearWarmupSchedule(after.clone(), warmupIterations);
    }

    public ISchedule getAfter() {
        return after;
    }

    public int getWarmupIterations() {
        return warmupIterations;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LinearWarmupSchedule other && warmupIterations == other.warmupIterations
                && after.equals(other.after);
    }

    @Override
    public int hashCode() {
        return Objects.hash(after, warmupIterations);
    }

    @Override
    public String toString() {
        return "warmup(" + warmupIterations + " iterations) then " + after;
    }
}
