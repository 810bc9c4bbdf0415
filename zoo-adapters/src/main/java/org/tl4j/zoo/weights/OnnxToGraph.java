package org.tl4j.zoo.weights;

import java.io.IOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Turns an ONNX model file into a DL4J graph with its weights. Implemented by tl4j's ONNX importer; kept as an
 * interface here so the weights package does not depend on the importer's internals.
 */
@FunctionalInterface
public interface OnnxToGraph {

    /**
     * Converts {@code onnx}.
     *
     * @throws IOException when the file cannot be read or holds an operator the importer does not support
     */
    ComputationGraph convert(Path onnx) throws IOException;

    /**
     * Identifies the converter's output format; part of the cache key, so bump it whenever the importer would
     * produce a different graph from the same ONNX file (letters, digits, {@code . _ -}).
     */
    default String version() {
        return "1";
    }
}
