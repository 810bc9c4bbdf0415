package org.tl4j.zoo.onnx;

import java.util.Arrays;

import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;

/**
 * ONNX Add of two activations, and Sum of any number of them (Caffe2-converted ResNets write residual connections
 * as Sum), to DL4J ElementWiseVertex(Add). DL4J's vertex does not broadcast, so operands of different shapes, or
 * a constant operand, are rejected.
 */
final class AddConverter implements OpConverter {

    @Override
    public void convert(OnnxNode node, ImportContext ctx) {
        if (ctx.isFusedBiasAdd(node)) {
            // The constant operand is already the bias of the dense layer that computes the other operand
            // (opset 6's broadcast/axis attributes were checked when it was fused).
            node.attributes().ignore("broadcast", "axis");
            OnnxValue a = ctx.value(node.input(0));
            ctx.alias(node, a.isConstant() ? ctx.value(node.input(1)) : a);
            return;
        }
        if (node.opset() < 7 && node.attributes().getInt("broadcast", 0) != 0) {
            throw node.unsupported("broadcast=1; DL4J's ElementWiseVertex adds equal shapes only");
        }
        node.attributes().ignore("axis"); // opset 6: only meaningful with broadcast=1, rejected above
        node.attributes().requireAllRead();
        int n = node.inputs().size();
        OnnxValue first = ctx.activation(node, 0);
        String[] inputs = new String[n];
        for (int i = 0; i < n; i++) {
            OnnxValue v = ctx.activation(node, i);
            if (!Arrays.equals(tail(first.shape()), tail(v.shape())) || first.rank() != v.rank()) {
                throw node.unsupported("operands of shapes " + ImportContext.shape(first.shape()) + " and "
                        + ImportContext.shape(v.shape()) + " differ; DL4J's ElementWiseVertex does not broadcast");
            }
            inputs[i] = v.vertex();
        }
        if (n == 1) {
            ctx.alias(node, first);
            return;
        }
        String name = ctx.vertexName(node, "");
        ctx.addVertex(name, new ElementWiseVertex(ElementWiseVertex.Op.Add), inputs);
        ctx.produce(node, name, first.shape());
    }

    /** The shape without the batch dimension, which may be unknown (-1) on one side. */
    private static long[] tail(long[] shape) {
        return Arrays.copyOfRange(shape, 1, shape.length);
    }
}
