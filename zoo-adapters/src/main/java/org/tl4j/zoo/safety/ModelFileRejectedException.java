package org.tl4j.zoo.safety;

import org.tl4j.zoo.weights.WeightsException;

/**
 * A model file was not loaded because it is unsafe, damaged or of another kind: a zip entry escaping its folder,
 * sizes beyond the limits, a truncated zip, Java-serialised objects of classes outside the allow-list, or a
 * network type other than a ComputationGraph. The message is one line naming the file, the problem and the fix.
 * It is a {@link WeightsException} so callers that handle unusable weight files handle it too.
 */
public class ModelFileRejectedException extends WeightsException {

    /** @param message one line naming the file, the problem and the fix */
    public ModelFileRejectedException(String message) {
        super(message);
    }

    /**
     * @param message one line naming the file, the problem and the fix
     * @param cause   the underlying failure
     */
    public ModelFileRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
