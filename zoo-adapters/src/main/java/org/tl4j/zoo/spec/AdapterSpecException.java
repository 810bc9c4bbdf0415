package org.tl4j.zoo.spec;

/** An adapter descriptor that cannot be read or does not make sense; the message names the file and the fix. */
public class AdapterSpecException extends RuntimeException {

    public AdapterSpecException(String message) {
        super(message);
    }

    public AdapterSpecException(String message, Throwable cause) {
        super(message, cause);
    }
}
