package org.tl4j.zoo.weights;

/**
 * A weight file's bytes are not the expected ones (wrong size, SHA-256 or Adler-32). Whatever was checked has
 * already been removed from the cache when this is thrown.
 */
public final class WeightMismatchException extends WeightsException {

    private final String expected;
    private final String actual;

    /**
     * @param message  one line naming the file or URL, both values and the fix
     * @param expected the expected value (hash or size) as text
     * @param actual   the value the bytes actually have
     */
    public WeightMismatchException(String message, String expected, String actual) {
        super(message);
        this.expected = expected;
        this.actual = actual;
    }

    /** The expected hash or size, as written in the message. */
    public String expected() {
        return expected;
    }

    /** The hash or size the bytes actually have. */
    public String actual() {
        return actual;
    }
}
