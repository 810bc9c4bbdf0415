package org.tl4j.train;

import java.util.List;
import java.util.Optional;
import org.nd4j.linalg.activations.Activation;
import org.tl4j.data.InvalidInputException;
import org.tl4j.zoo.arch.ArchOptions;

/**
 * What the new head looks like: the number of classes, optional hidden layers, where in the network it sits and
 * the seed of its initial weights. {@link HeadSurgery} builds it.
 *
 * @param classes          number of target classes (softmax outputs), at least 2
 * @param hidden           sizes of hidden dense layers between the tap and the softmax, early to late; empty
 *                         for a linear softmax classifier (the usual choice for small target sets)
 * @param hiddenActivation nonlinearity of the hidden layers (ReLU by default)
 * @param dropout          probability of dropping each input of every new layer during training (0 = none)
 * @param tap              the adapter tap the head reads; empty for the adapter's default tap (its pooled
 *                         penultimate features). Everything after the tap is cut away.
 * @param seed             seed of the new layers' initial weights
 */
public record HeadSpecification(int classes, List<Integer> hidden, Activation hiddenActivation, double dropout,
                                Optional<String> tap, long seed) {

    public HeadSpecification {
        if (classes < 2) {
            throw new InvalidInputException("the new head needs at least 2 classes, got " + classes
                    + " (check that the training folder has one sub-folder per class)");
        }
        hidden = List.copyOf(hidden);
        for (int size : hidden) {
            if (size < 1) {
                throw new InvalidInputException("--head-hidden sizes must be positive, got " + hidden);
            }
        }
        if (hiddenActivation == null) {
            throw new InvalidInputException("--head-activation is missing; use e.g. relu or tanh");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new InvalidInputException("--head-dropout must be in [0, 1), got " + dropout);
        }
        tap = tap == null ? Optional.empty() : tap;
    }

    /** A linear softmax classifier for {@code classes} classes at the adapter's default tap, default seed. */
    public static HeadSpecification linear(int classes) {
        return new HeadSpecification(classes, List.of(), Activation.RELU, 0.0, Optional.empty(), ArchOptions.DEFAULT_SEED);
    }

    /** This specification with hidden layers of the given sizes. */
    public HeadSpecification withHidden(List<Integer> sizes, Activation activation) {
        return new HeadSpecification(classes, sizes, activation, dropout, tap, seed);
    }

    /** This specification with the head placed at another tap of the adapter. */
    public HeadSpecification atTap(String tapName) {
        return new HeadSpecification(classes, hidden, hiddenActivation, dropout, Optional.of(tapName), seed);
    }

    /** This specification with another seed for the new weights. */
    public HeadSpecification withSeed(long newSeed) {
        return new HeadSpecification(classes, hidden, hiddenActivation, dropout, tap, newSeed);
    }

    /** This specification with dropout on the new layers' inputs. */
    public HeadSpecification withDropout(double probability) {
        return new HeadSpecification(classes, hidden, hiddenActivation, probability, tap, seed);
    }
}
