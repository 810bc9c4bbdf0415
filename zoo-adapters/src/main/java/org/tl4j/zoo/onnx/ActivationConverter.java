package org.tl4j.zoo.onnx;

import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.nd4j.linalg.activations.Activation;

/** ONNX Relu and Softmax to DL4J ActivationLayer. Softmax is imported over the features of a [N, F] tensor. */
final class ActivationConverter implements OpConverter {

    private final Activation activation;

    ActivationConverter(Activation activation) {
        this.activation = activation;
    }

    @Override
    public void convert(OnnxNode node, ImportContext ctx) {
        NodeAttributes a = node.attributes();
        OnnxValue x = ctx.activation(node, 0);
        if (activation == Activation.SOFTMAX) {
            // Opset < 13: default axis 1, input coerced to 2-D; opset >= 13: default axis -1, along that axis.
            long axis = a.getInt("axis", node.opset() < 13 ? 1 : -1);
            long normalised = axis < 0 ? axis + x.rank() : axis;
            if (x.rank() != 2 || normalised != 1) {
                throw node.unsupported("axis " + axis + " on input " + ImportContext.shape(x.shape())
                        + "; the importer supports softmax over the features of a [N, F] tensor");
            }
        }
        a.requireAllRead();
        String name = ctx.vertexName(node, "");
        ctx.addLayer(name, new ActivationLayer.Builder().activation(activation).build(), x.vertex());
        ctx.produce(node, name, x.shape());
    }
}
