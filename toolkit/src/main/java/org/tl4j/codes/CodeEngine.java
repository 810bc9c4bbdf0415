package org.tl4j.codes;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs preprocessed images through a network up to one layer, in inference mode. The one dependency of
 * {@link CnnCodes} on how the network is executed: DL4J today ({@link Dl4jCodeEngine}), another engine (ONNX
 * Runtime) by passing a different implementation to {@link CnnCodes#engine(CodeEngine)}.
 */
public interface CodeEngine {

    /**
     * The layer's activation for a batch: [n, C, H, W] for a convolutional layer, [n, D] for a dense one, in
     * memory the caller owns.
     *
     * @param images [n, channels, height, width] preprocessed as the adapter's input spec says
     */
    INDArray activations(INDArray images);

    /** The layer read. */
    String layer();

    /** Identifies the weights (SHA-256), part of the cache key. */
    String weightsSha256();
}
