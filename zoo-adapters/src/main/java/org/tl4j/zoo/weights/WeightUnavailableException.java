package org.tl4j.zoo.weights;

/**
 * A weight file could not be fetched (offline, host unreachable, time-out, HTTP error, missing {@code file:}
 * path) and is not in the cache. The message names the URL, the cache path it was meant for and
 * {@code ./tl4j zoo import FILE --as ID} as the way to place a copy by hand.
 */
public final class WeightUnavailableException extends WeightsException {

    /**
     * @param message the one-line message described above
     * @param cause   the last transfer failure
     */
    public WeightUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
