package org.tl4j.data;

/** Input the user can fix (a missing folder, an empty class, a bad option value); the message names the fix. */
public class InvalidInputException extends RuntimeException {

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
