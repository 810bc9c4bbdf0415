package org.tl4j.zoo.onnx;

import onnx.Onnx;
import org.nd4j.linalg.factory.Nd4j;

/** ONNX Constant: a value known at import time (a Reshape target, a Dropout ratio); no DL4J vertex. */
final class ConstantConverter implements OpConverter {

    @Override
    public void convert(OnnxNode node, ImportContext ctx) {
        NodeAttributes a = node.attributes();
        OnnxValue value;
        if (a.has("value")) {
            Onnx.TensorProto t = a.getTensor("value");
            value = OnnxValue.constant(OnnxTensors.toArray(t, ctx.modelName() + " node '" + node.displayName() + "'"));
        } else if (a.has("value_float")) {
            value = OnnxValue.constant(Nd4j.scalar(a.getFloat("value_float", 0f)));
        } else if (a.has("value_floats")) {
            value = OnnxValue.constant(Nd4j.createFromArray(a.getFloats("value_floats")));
        } else if (a.has("value_int")) {
            value = OnnxValue.constant(Nd4j.scalar(a.getInt("value_int", 0)));
        } else if (a.has("value_ints")) {
            value = OnnxValue.constant(Nd4j.createFromArray(a.getInts("value_ints")));
        } else {
            throw node.unsupported("the constant is not given as value, value_float(s) or value_int(s)");
        }
        a.requireAllRead();
        ctx.define(node.outputs().get(0), value);
    }
}
