package org.tl4j.zoo.onnx;

import java.util.Arrays;

import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;

/**
 * ONNX Add of two activations of the same shape (residual connections) to DL4J ElementWiseVertex(Add). DL4J's
 * vertex does not broadcast, so operands of different shapes, or a constant operand, are rejected.
 */
final class AddConverter implements OpConverter {

    @Override
    public void convert(OnnxNode node, ImportContext ctx) {
        if (node.opset() < 7 && node.attributes().getInt("broadcast", 0) != 0) {
            throw node.unsupported("broadcast=1; DL4J's ElementWiseVertex adds equal shapes only");
        }
        node.attributes().ignore("axis"); // opset 6: only meaningful with broadcast=1, rejected above
        node.attributes().requireAllRead();
        OnnxValue left = ctx.activation(node, 0);
        OnnxValue right = ctx.activation(node, 1);
        if (!Arrays.equals(tail(left.shape()), tail(right.shape())) || left.rank() != right.rank()) {
            throw node.unsupported("operands of shapes " + ImportContext.shape(left.shape()) + " and "
                    + ImportContext.shape(right.shape()) + " differ; DL4J's ElementWiseVertex does not broadcast");
        }
        String name = ctx.vertexName(node, "");
        ctx.addVertex(name, new ElementWiseVertex(ElementWiseVertex.Op.Add), left.vertex(), right.vertex());
        ctx.produce(node, name, left.shape());
    }

    /** The shape without the batch dimension, which may be unknown (-1) on one side. */
    private static long[] tail(long[] shape) {
        return Arrays.copyOfRange(shape, 1, shape.length);
    }
}
