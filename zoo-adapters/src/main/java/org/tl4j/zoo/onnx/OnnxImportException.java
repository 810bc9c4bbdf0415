package org.tl4j.zoo.onnx;

/**
 * An ONNX model that cannot be turned into a DL4J graph: unreadable, malformed, or using an operator, attribute
 * value or tensor layout the importer does not support. The message names the model file, the node and the
 * value at fault.
 */
public class OnnxImportException extends RuntimeException {

    public OnnxImportException(String message) {
        super(message);
    }

    public OnnxImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
