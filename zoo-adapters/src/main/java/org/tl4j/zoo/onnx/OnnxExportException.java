package org.tl4j.zoo.onnx;

/**
 * A DL4J graph that cannot be written as ONNX: a layer, vertex, preprocessor or setting with no exact ONNX
 * equivalent, or a graph whose input size is unknown. The message names the vertex, its type and the fix.
 */
public class OnnxExportException extends RuntimeException {

    public OnnxExportException(String message) {
        super(message);
    }

    public OnnxExportException(String message, Throwable cause) {
        super(message, cause);
    }
}
