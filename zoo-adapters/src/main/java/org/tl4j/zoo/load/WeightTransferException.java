package org.tl4j.zoo.load;

/** Trained weights do not fit the adapter's graph: a different network, width or variant. */
public class WeightTransferException extends RuntimeException {

    public WeightTransferException(String message) {
        super(message);
    }
}
