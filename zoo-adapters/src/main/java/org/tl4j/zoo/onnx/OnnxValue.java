package org.tl4j.zoo.onnx;

import java.util.Arrays;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A named ONNX value during import: either an activation produced by a DL4J vertex (with its ONNX shape, the
 * batch dimension first and possibly unknown as -1), or a constant known at import time (initializer or
 * Constant node output).
 */
record OnnxValue(String vertex, long[] shape, INDArray constant) {

    static OnnxValue activation(String vertex, long[] shape) {
        return new OnnxValue(vertex, shape.clone(), null);
    }

    static OnnxValue constant(INDArray value) {
        return new OnnxValue(null, value.shape(), value);
    }

    boolean isConstant() {
        return constant != null;
    }

    int rank() {
        return shape.length;
    }

    /** Size of dimension {@code i}, negative indexes counting from the end. */
    long dim(int i) {
        return shape[i < 0 ? shape.length + i : i];
    }

    /**
     * The DL4J input type of this activation: rank 4 is NCHW convolutional, rank 2 feed-forward, rank 3 DL4J's
     * recurrent [N, C, T] layout (which element-wise layers and vertices accept unchanged).
     */
    InputType inputType(OnnxNode user) {
        return switch (shape.length) {
            case 2 -> InputType.feedForward(shape[1]);
            case 3 -> InputType.recurrent(shape[1], shape[2]);
            case 4 -> InputType.convolutional(shape[2], shape[3], shape[1]);
            default -> throw user.unsupported("input of shape " + Arrays.toString(shape) + " has rank "
                    + shape.length + "; the importer handles ranks 2 [N,F], 3 [N,C,T] and 4 [N,C,H,W]");
        };
    }
}
