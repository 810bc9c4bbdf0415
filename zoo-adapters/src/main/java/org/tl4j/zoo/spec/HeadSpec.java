package org.tl4j.zoo.spec;

import java.util.Objects;

/**
 * The classifier at the end of the network.
 *
 * @param layer      name of the classifier layer in the graph (replaced when the model is adapted to new classes)
 * @param classes    number of classes it predicts
 * @param classNames classpath resource with one class name per line, in output order; null when not shipped
 */
public record HeadSpec(String layer, int classes, String classNames) {

    public HeadSpec {
        Objects.requireNonNull(layer, "head.layer");
        if (classes < 1) {
            throw new IllegalArgumentException("head.classes must be at least 1, got " + classes);
        }
    }
}
