package org.tl4j.train;

import java.util.Objects;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A schedule multiplied by a constant: how one layer's learning-rate multiplier (Caffe's lr_mult) is applied
 * to the run's global schedule, so every layer follows the same shape at its own scale.
 */
public final class ScaledSchedule implements ISchedule {

    private final ISchedule base;
    private final double multiplier;

    public ScaledSchedule(@JsonProperty("base") ISchedule base, @JsonProperty("multiplier") double multiplier) {
        if (!(multiplier >= 0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("learning-rate multiplier must be >= 0 and finite, got " + multiplier);
        }
        this.base = Objects.requireNonNull(base, "base");
        this.multiplier = multiplier;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        return multiplier * base.valueAt(iteration, epoch);
    }

    @Override
    public ISchedule clone() {
        return new ScaledSchedule(base.clone(), multiplier);
    }

    public ISchedule getBase() {
        return base;
    }

    public double getMultiplier() {
        return multiplier;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScaledSchedule other && multiplier == other.multiplier && base.equals(other.base);
    }

    @Override
    public int hashCode() {
        return Objects.hash(base, multiplier);
    }

    @Override
    public String toString() {
        return multiplier + " x " + base;
    }
}
