package org.tl4j.infer;

import java.nio.file.Path;
import java.util.Objects;

import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * What an {@link InferenceEngine} runs: a DL4J graph (read up to {@code cut}, or whole), and optionally the ONNX
 * file it was imported from, which ONNX Runtime then runs directly (with {@code onnxOutput}, the ONNX value the
 * cut vertex holds, added as a graph output) instead of an export of the graph.
 *
 * @param name       for messages and file names
 * @param graph      the DL4J graph
 * @param inputShape one example's input shape {C, H, W}
 * @param cut        vertex whose output is wanted, or null for the graph's first output
 * @param pooled     average a 4-d output over height and width, giving [N, C]
 * @param onnxSource the ONNX file the graph was imported from, or null for graphs built or trained by tl4j
 * @param onnxOutput with {@code onnxSource}: the ONNX value that corresponds to {@code cut} (or to the graph's
 *                   first output when there is no cut)
 */
public record InferenceModel(String name, ComputationGraph graph, long[] inputShape, String cut, boolean pooled,
                             Path onnxSource, String onnxOutput) {

    public InferenceModel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(graph, "graph");
        if (inputShape == null || inputShape.length != 3) {
            throw new IllegalArgumentException("input shape must be {C, H, W}");
        }
        inputShape = inputShape.clone();
        if (pooled && cut == null) {
            throw new IllegalArgumentException("pooling applies to a cut layer; name one");
        }
        if ((onnxSource == null) != (onnxOutput == null)) {
            throw new IllegalArgumentException("an ONNX source needs the ONNX output value, and only then");
        }
    }

    /** A graph built or trained by tl4j: ONNX Runtime runs its export. */
    public static InferenceModel ofGraph(String name, ComputationGraph graph, long[] inputShape, String cut,
                                         boolean pooled) {
        return new InferenceModel(name, graph, inputShape, cut, pooled, null, null);
    }

    /** A graph imported from {@code source}: ONNX Runtime runs the source file with {@code onnxOutput} as output. */
    public InferenceModel withOnnxSource(Path source, String output) {
        return new InferenceModel(name, graph, inputShape, cut, pooled, source, output);
    }

    @Override
    public long[] inputShape() {
        return inputShape.clone();
    }
}
