package org.tl4j.zoo.onnx;

import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ONNX Identity (an alias, no vertex) and Dropout. Dropout becomes a DL4J DropoutLayer so that fine-tuning drops
 * out as the original model did; at inference both are the identity. DL4J's dropout argument is the probability
 * of keeping an activation, ONNX's ratio the probability of dropping it.
 */
final class PassThroughConverter implements OpConverter {

    private final boolean dropout;

    PassThroughConverter(boolean dropout) {
        this.dropout = dropout;
    }

    @Override
    public void convert(OnnxNode node, ImportContext ctx) {
        NodeAttributes a = node.attributes();
        OnnxValue x = ctx.activation(node, 0);
        if (!dropout) {
            a.requireAllRead();
            ctx.alias(node, x);
            return;
        }
        double ratio = 0.5;
        if (node.opset() < 12) {
            ratio = a.getFloat("ratio", 0.5f);
            if (node.opset() < 7 && a.getInt("is_test", 0) == 0) {
                throw node.unsupported("is_test=0 (random mask in the graph); export the model in eval mode");
            }
        } else {
            a.ignore("seed"); // only affects training-mode masks, which are rejected below
            INDArray r = ctx.optionalConstant(node, 1);
            if (r != null) {
                ratio = r.getDouble(0);
            }
            INDArray training = ctx.optionalConstant(node, 2);
            if (training != null && training.getDouble(0) != 0) {
                throw node.unsupported("training_mode=true; export the model in eval mode (model.eval())");
            }
        }
        a.requireAllRead();
        ctx.requireOnlyFirstOutputUsed(node);
        if (ratio < 0 || ratio >= 1) {
            throw node.invalid("ratio " + ratio + " is outside [0, 1)");
        }
        if (ratio == 0) {
            ctx.alias(node, x);
            return;
        }
        x.inputType(node);
        String name = ctx.vertexName(node, "");
        ctx.addLayer(name, new DropoutLayer.Builder(1.0 - ratio).build(), x.vertex());
        ctx.produce(node, name, x.shape());
    }
}
