package org.tl4j.train;

import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.schedule.ISchedule;
import org.tl4j.data.InvalidInputException;

/**
 * How parameters move: the update rule with its momentum, and the weight decay applied to weights (never to
 * biases or BatchNorm parameters, whose decay only fights the normalisation).
 *
 * @param method      Nesterov momentum (default, CS231n's recommendation for fine-tuning) or Adam
 * @param momentum    Nesterov's momentum (0.9 by default); ignored by Adam
 * @param weightDecay L2 decay coefficient on weights, scaled by each layer's learning rate
 */
public record Optimizer(Method method, double momentum, double weightDecay) {

    /** The update rules tl4j offers. */
    public enum Method { NESTEROV, ADAM }

    /** Nesterov momentum 0.9, weight decay 1e-4. */
    public static final Optimizer DEFAULT = new Optimizer(Method.NESTEROV, 0.9, 1e-4);

    public Optimizer {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new InvalidInputException("--momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new InvalidInputException("--weight-decay must be >= 0, got " + weightDecay);
        }
    }

    /** The DL4J updater for one layer, following {@code rate} (the run's schedule times the layer's multiplier). */
    IUpdater updater(ISchedule rate) {
        return switch (method) {
            case NESTEROV -> new Nesterovs(rate, momentum);
            case ADAM -> new Adam(rate);
        };
    }
}
