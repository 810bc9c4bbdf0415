package org.tl4j.zoo.weights;

import java.io.IOException;

/**
 * A weight file could not be obtained or is not the file it should be. The message is one line that names the
 * file or URL, what was wrong and how to fix it, so a CLI can print it as is.
 */
public class WeightsException extends IOException {

    /** @param message one line naming the file or URL, the problem and the fix */
    public WeightsException(String message) {
        super(message);
    }

    /**
     * @param message one line naming the file or URL, the problem and the fix
     * @param cause   the underlying failure
     */
    public WeightsException(String message, Throwable cause) {
        super(message, cause);
    }
}
