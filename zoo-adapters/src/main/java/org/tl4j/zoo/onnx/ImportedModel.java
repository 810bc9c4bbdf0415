package org.tl4j.zoo.onnx;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The result of importing an ONNX model: a trainable DL4J graph holding the ONNX weights, plus what is needed to
 * use it as the ONNX model was used.
 *
 * @param graph        initialised graph; parameters are the ONNX initializers in DL4J's layouts
 * @param inputs       the ONNX graph inputs (initializers excluded), in order; they are the graph's inputs
 * @param outputs      the ONNX graph outputs, in order; they are the graph's outputs
 * @param nodeToVertex ONNX node (its name, else its first output) to the DL4J vertex holding its result, in
 *                     graph order; nodes without a vertex of their own (Identity, Constant) map to the vertex
 *                     they pass on, or are absent
 * @param opset        the model's ONNX opset
 * @param source       where the model came from (file name), for messages and provenance
 */
public record ImportedModel(ComputationGraph graph, List<Tensor> inputs, List<Tensor> outputs,
                            Map<String, String> nodeToVertex, int opset, String source) {

    /**
     * An ONNX graph input or output and the DL4J vertex standing for it.
     *
     * @param onnxName   the ONNX value name
     * @param vertexName the DL4J vertex name
     * @param shape      the ONNX shape, batch first; -1 where the model leaves a dimension open
     */
    public record Tensor(String onnxName, String vertexName, long[] shape) {
        public Tensor {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }
    }

    public ImportedModel {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        nodeToVertex = Collections.unmodifiableMap(new LinkedHashMap<>(nodeToVertex)); // keeps graph order
    }

    /** The single input of an image model; fails when the model has several. */
    public Tensor input() {
        if (inputs.size() != 1) {
            throw new IllegalStateException(source + " has " + inputs.size() + " inputs, not one");
        }
        return inputs.get(0);
    }

    /** Runs inference (dropout off, batch-norm on running statistics); outputs in ONNX order. */
    public INDArray[] output(INDArray... inputArrays) {
        return graph.output(false, inputArrays);
    }
}
