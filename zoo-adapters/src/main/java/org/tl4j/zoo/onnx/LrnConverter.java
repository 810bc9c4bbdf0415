package org.tl4j.zoo.onnx;

import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;

/**
 * ONNX LRN to DL4J LocalResponseNormalization. ONNX divides by {@code (bias + alpha/size * sum)^beta}, DL4J by
 * {@code (k + alpha * sum)^beta}, both summing squares over a window of {@code size} channels centred on the
 * channel; so DL4J's alpha is ONNX's alpha divided by size. DL4J's window is always centred (2*floor(n/2)+1
 * channels), so an even size, whose ONNX window is lopsided, is rejected.
 */
final class LrnConverter implements OpConverter {

    @Override
    public void convert(OnnxNode node, ImportContext ctx) {
        NodeAttributes a = node.attributes();
        OnnxValue x = ctx.activation(node, 0);
        OpConverter.requireImage(node, x);
        double alpha = a.getFloat("alpha", 1e-4f);
        double beta = a.getFloat("beta", 0.75f);
        double bias = a.getFloat("bias", 1.0f);
        if (!a.has("size")) {
            throw node.invalid("attribute 'size' is missing");
        }
        long size = a.getInt("size", 0);
        a.requireAllRead();
        if (size % 2 == 0) {
            throw node.unsupported("size " + size + " is even; DL4J's LRN window is centred on the channel and "
                    + "so has an odd size");
        }
        String name = ctx.vertexName(node, "");
        ctx.addLayer(name, new LocalResponseNormalization.Builder()
                .k(bias).n(size).alpha(alpha / size).beta(beta)
                .build(), x.vertex());
        ctx.produce(node, name, x.shape());
    }
}
