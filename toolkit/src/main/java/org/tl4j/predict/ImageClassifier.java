package org.tl4j.predict;

import java.util.List;
import org.tl4j.data.DecodedImage;

/**
 * A model that scores an image against its classes: what {@code ./tl4j predict} needs from a fine-tuned network
 * ({@link NetworkClassifier}) or any other kind of model tl4j trains.
 */
public interface ImageClassifier {

    /** Class names, in the order of {@link #scores}. */
    List<String> classNames();

    /**
     * One score per class for an image (decoded, any size: the classifier prepares it as its adapter says); higher
     * is more likely. Probabilities for a softmax network.
     */
    float[] scores(DecodedImage image);

    /** What the scores are, for output headers (e.g. {@code probability}). */
    String scoreKind();
}
