package org.tl4j.datasets;

/** A dataset cannot be prepared from what the user gave or what is installed; the message says how to fix it. */
public class DatasetException extends RuntimeException {

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
