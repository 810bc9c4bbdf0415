package org.tl4j.zoo.onnx;

import onnx.Onnx;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ONNX Gemm and MatMul with a constant right-hand side to DL4J DenseLayer. DL4J computes {@code x W + b} with W
 * of shape [nIn, nOut], which is Gemm's {@code alpha * A * op(B) + beta * C} once alpha is folded into W and beta
 * into b. The left operand is the batch, so it may not be transposed, and C must be the same for every row.
 */
final class DenseConverter implements OpConverter {

    private final boolean gemm;

    DenseConverter(boolean gemm) {
        this.gemm = gemm;
    }

    @Override
    public void convert(OnnxNode node, ImportContext ctx) {
        NodeAttributes a = node.attributes();
        OnnxValue x = ctx.activation(node, 0);
        INDArray b = ctx.constant(node, 1);
        INDArray c = gemm ? ctx.optionalConstant(node, 2) : null;
        float alpha = gemm ? a.getFloat("alpha", 1f) : 1f;
        float beta = gemm ? a.getFloat("beta", 1f) : 1f;
        boolean transA = gemm && a.getInt("transA", 0) != 0;
        boolean transB = gemm && a.getInt("transB", 0) != 0;
        if (gemm && node.opset() < 7) {
            a.ignore("broadcast"); // opset 6: C broadcasts when set; its shape is checked below either way
        }
        a.requireAllRead();
        if (x.rank() != 2) {
            throw node.unsupported("input of shape " + ImportContext.shape(x.shape()) + " is not [N,K]; flatten "
                    + "it first (batched matrix products have no DL4J layer)");
        }
        if (transA) {
            throw node.unsupported("transA=1 would transpose the batch dimension");
        }
        if (b.rank() != 2) {
            throw node.unsupported("weight of shape " + ImportContext.shape(b.shape()) + " is not a matrix");
        }
        INDArray w = transB ? b.transpose() : b;
        long nIn = x.dim(1);
        if (w.size(0) != nIn) {
            throw node.invalid("weight " + ImportContext.shape(b.shape()) + (transB ? " (transposed)" : "")
                    + " does not fit an input with " + nIn + " features");
        }
        long nOut = w.size(1);
        INDArray bias = null;
        if (c != null) {
            bias = rowBias(node, c, nOut);
            if (beta != 1f) {
                bias = bias.mul(beta);
            }
        }
        if (bias == null && c == null) {
            bias = fusedBias(node, ctx, nOut);
        }
        if (alpha != 1f) {
            w = w.mul(alpha);
        }
        String name = ctx.vertexName(node, "");
        ctx.addLayer(name, new DenseLayer.Builder()
                .nIn(nIn).nOut(nOut)
                .activation(Activation.IDENTITY)
                .hasBias(bias != null)
                .build(), x.vertex());
        ctx.setParam(name, "W", w.dup('c'));
        if (bias != null) {
            ctx.setParam(name, "b", bias);
        }
        ctx.produce(node, name, new long[] {x.dim(0), nOut});
    }

    /**
     * MatMul followed by Add of a constant row (how TensorFlow and Keras exporters write a dense layer): the
     * constant becomes this layer's bias and the Add an alias, so the bias stays a trainable DL4J parameter.
     */
    private static INDArray fusedBias(OnnxNode node, ImportContext ctx, long nOut) {
        Onnx.NodeProto next = ctx.soleConsumer(node.outputs().get(0));
        if (next == null || !next.getOpType().equals("Add") || next.getInputCount() != 2) {
            return null;
        }
        for (Onnx.AttributeProto attribute : next.getAttributeList()) {
            // Opset 6 writes a row bias as broadcast=1 (axis absent or 1 for [N, M] + [M]).
            boolean rowBroadcast = attribute.getName().equals("broadcast")
                    || (attribute.getName().equals("axis") && (attribute.getI() == 1 || attribute.getI() == -1));
            if (!rowBroadcast) {
                return null;
            }
        }
        String other = next.getInput(0).equals(node.outputs().get(0)) ? next.getInput(1) : next.getInput(0);
        OnnxValue constant = ctx.value(other);
        if (constant == null || !constant.isConstant() || constant.constant().length() != nOut
                || constant.constant().rank() > 2) {
            return null;
        }
        ctx.fuseBiasAdd(next);
        return constant.constant().reshape(nOut);
    }

    /** C broadcast to one row of nOut values: a scalar, [nOut] or [1, nOut]. */
    private static INDArray rowBias(OnnxNode node, INDArray c, long nOut) {
        long[] s = c.shape();
        boolean scalar = c.length() == 1;
        boolean row = (s.length == 1 && s[0] == nOut) || (s.length == 2 && s[0] == 1 && s[1] == nOut);
        if (scalar) {
            return org.nd4j.linalg.factory.Nd4j.valueArrayOf(new long[] {nOut}, c.getDouble(0)).castTo(c.dataType());
        }
        if (!row) {
            throw node.unsupported("bias C of shape " + ImportContext.shape(s) + " differs between rows of the "
                    + "batch; DL4J's dense bias is one row of " + nOut + " values");
        }
        return c.reshape(nOut);
    }
}
