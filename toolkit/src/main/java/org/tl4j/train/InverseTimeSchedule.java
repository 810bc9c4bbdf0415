package org.tl4j.train;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The 1/t learning-rate schedule recommended by Bengio (2012, "Practical recommendations", section 3.1):
 * {@code eps_t = eps0 * tau / max(t, tau)}. The rate stays at eps0 for the first tau steps, then decays as 1/t,
 * which satisfies the stochastic-approximation conditions (sum of rates diverges, sum of squares converges).
 *
 * <p>ND4J's {@code InverseSchedule} is {@code eps0 / (1 + gamma t)^p}, a different family, so this one is ours.
 * Annotated for ND4J's shaded Jackson so that it survives DL4J's model serialisation.
 */
public final class InverseTimeSchedule implements ISchedule {

    private final ScheduleType scheduleType;
    private final double initialValue;
    private final double tau;

    /**
     * @param scheduleType whether t counts iterations (updates) or epochs
     * @param initialValue eps0, the rate for the first tau steps
     * @param tau          the step at which decay starts; positive
     */
    public InverseTimeSchedule(@JsonProperty("scheduleType") ScheduleType scheduleType,
                               @JsonProperty("initialValue") double initialValue,
                               @JsonProperty("tau") double tau) {
        if (!(tau > 0)) {
            throw new IllegalArgumentException("tau must be positive, got " + tau);
        }
        if (!(initialValue > 0) || Double.isInfinite(initialValue)) {
            throw new IllegalArgumentException("initial learning rate must be positive and finite, got " + initialValue);
        }
        this.scheduleType = scheduleType;
        this.initialValue = initialValue;
        this.tau = tau;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        double t = scheduleType == ScheduleType.ITERATION ? iteration : epoch;
        return initialValue * tau / Math.max(t, tau);
    }

    @Override
    public ISchedule clone() {
        return new InverseTimeSchedule(scheduleType, initialValue, tau);
    }

    public ScheduleType getScheduleType() {
        return scheduleType;
    }

    public double getInitialValue() {
        return initialValue;
    }

    public double getTau() {
        return tau;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InverseTimeSchedule other && scheduleType == other.scheduleType
                && initialValue == other.initialValue && tau == other.tau;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(scheduleType, initialValue, tau);
    }

    @Override
    public String toString() {
        return "1/t(eps0=" + initialValue + ", tau=" + tau + " " + scheduleType.name().toLowerCase() + "s)";
    }
}
