package org.tl4j.bench.engines;

/** What one timed step does. The wire names are shared with torch_peer.py. */
public enum Workload {
    /** Forward, backward and an SGD (Nesterov) update of every layer, training mode. */
    TRAIN_ALL("train_all"),
    /** The trunk frozen (inference-mode BatchNorm, no gradients), only the classifier trains. */
    TRAIN_HEAD("train_head"),
    /** Forward pass in inference mode. */
    INFER("infer");

    private final String wire;

    Workload(String wire) {
        this.wire = wire;
    }

    /** The name on result lines, in results.json and in requests to the PyTorch worker. */
    public String wire() {
        return wire;
    }

    /** Forward-pass equivalents per image: backward costs about twice the forward, a frozen trunk none. */
    public double forwardEquivalents() {
        return this == TRAIN_ALL ? 3.0 : 1.0;
    }
}
