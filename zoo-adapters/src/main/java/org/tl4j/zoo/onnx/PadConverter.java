package org.tl4j.zoo.onnx;

import java.util.Arrays;

import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ONNX Pad with zeros around the spatial dimensions of an image to DL4J ZeroPaddingLayer. PyTorch writes an
 * average pool that counts padding this way. Other modes, other values and padding of the batch or channel
 * dimensions have no DL4J layer.
 */
final class PadConverter implements OpConverter {

    @Override
    public void convert(OnnxNode node, ImportContext ctx) {
        NodeAttributes a = node.attributes();
        OnnxValue x = ctx.activation(node, 0);
        String mode = a.getString("mode", "constant");
        long[] pads;
        double value;
        if (node.opset() < 11) {
            pads = a.getInts("pads");
            if (pads == null) {
                throw node.invalid("attribute 'pads' is missing");
            }
            value = a.getFloat("value", 0f);
        } else {
            pads = ctx.constant(node, 1).toLongVector();
            INDArray v = ctx.optionalConstant(node, 2);
            value = v == null ? 0 : v.getDouble(0);
            if (node.input(3) != null) {
                throw node.unsupported("the axes input (opset 18) is not supported");
            }
        }
        a.requireAllRead();
        if (!mode.equals("constant")) {
            throw node.unsupported("mode '" + mode + "'; DL4J's ZeroPaddingLayer pads with a constant");
        }
        if (value != 0) {
            throw node.unsupported("constant value " + value + "; DL4J's ZeroPaddingLayer pads with zeros");
        }
        OpConverter.requireImage(node, x);
        if (pads.length != 8 || pads[0] != 0 || pads[1] != 0 || pads[4] != 0 || pads[5] != 0
                || Arrays.stream(pads).anyMatch(p -> p < 0)) {
            throw node.unsupported("pads " + Arrays.toString(pads) + "; only non-negative padding of height and "
                    + "width is supported (not batch or channels, no cropping)");
        }
        int top = Math.toIntExact(pads[2]);
        int left = Math.toIntExact(pads[3]);
        int bottom = Math.toIntExact(pads[6]);
        int right = Math.toIntExact(pads[7]);
        String name = ctx.vertexName(node, "");
        ctx.addLayer(name, new ZeroPaddingLayer.Builder(top, bottom, left, right).build(), x.vertex());
        ctx.produce(node, name, new long[] {x.dim(0), x.dim(1), x.dim(2) + top + bottom, x.dim(3) + left + right});
    }
}
