package org.tl4j.zoo.onnx;

import java.util.List;

import onnx.Onnx;

/**
 * One ONNX node as the converters see it: operator, inputs, outputs, attributes, the opset in force and a name
 * for messages.
 */
final class OnnxNode {

    private final Onnx.NodeProto proto;
    private final String modelName;
    private final int opset;
    private final NodeAttributes attributes;

    OnnxNode(Onnx.NodeProto proto, String modelName, int opset) {
        this.proto = proto;
        this.modelName = modelName;
        this.opset = opset;
        this.attributes = new NodeAttributes(this, proto);
    }

    String opType() {
        return proto.getOpType();
    }

    /** The node's name when it has one, else its first output: what a user sees in Netron. */
    String displayName() {
        if (!proto.getName().isEmpty()) {
            return proto.getName();
        }
        return proto.getOutputCount() > 0 ? proto.getOutput(0) : proto.getOpType();
    }

    int opset() {
        return opset;
    }

    NodeAttributes attributes() {
        return attributes;
    }

    /** Input names; an empty string marks an omitted optional input, as in ONNX. */
    List<String> inputs() {
        return proto.getInputList();
    }

    /** The name of input {@code i}, or {@code null} when it is absent or omitted. */
    String input(int i) {
        return i < proto.getInputCount() && !proto.getInput(i).isEmpty() ? proto.getInput(i) : null;
    }

    List<String> outputs() {
        return proto.getOutputList();
    }

    /** An error naming this node, its operator and the model file. */
    UnsupportedOnnxException unsupported(String what) {
        return new UnsupportedOnnxException(modelName + ": node '" + displayName() + "' (" + opType()
                + ", opset " + opset + "): " + what);
    }

    /** An error for a malformed node (wrong input count, missing attribute). */
    OnnxImportException invalid(String what) {
        return new OnnxImportException(modelName + ": node '" + displayName() + "' (" + opType()
                + "): " + what + "; the model is malformed, export it again");
    }
}
