package org.tl4j.infer;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs a frozen network forward: a float batch [N, C, H, W] in, one float output [N, ...] out (the model's tap,
 * pooled to [N, C] when asked, or its first output). Training stays with DL4J; everything frozen (CNN codes, the
 * featurize cache, predict) can run on whichever engine is fastest and agrees with DL4J ({@link Engines}).
 * Not thread-safe; close it to free native memory.
 */
public interface InferenceEngine extends AutoCloseable {

    /** Short engine name recorded in run.json: {@code nd4j} or {@code onnxruntime}. */
    String name();

    /** The output for a batch; a new array owned by the caller. */
    INDArray run(INDArray batch);

    @Override
    void close();
}
