package org.tl4j.zoo.onnx;

/**
 * The model is valid ONNX, but uses an operator, an attribute value or a tensor shape that has no exact DL4J
 * equivalent. The message names the node, its operator and the value that cannot be expressed.
 */
public class UnsupportedOnnxException extends OnnxImportException {

    public UnsupportedOnnxException(String message) {
        super(message);
    }
}
