package org.tl4j.zoo.onnx;

import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ONNX BatchNormalization (inference form) to DL4J BatchNormalization, with scale, bias and running statistics
 * as DL4J's gamma, beta, mean and var. ONNX momentum and DL4J decay mean the same thing (weight of the old
 * running value), so fine-tuning keeps updating the statistics as PyTorch would.
 */
final class BatchNormConverter implements OpConverter {

    @Override
    public void convert(OnnxNode node, ImportContext ctx) {
        NodeAttributes a = node.attributes();
        OnnxValue x = ctx.activation(node, 0);
        INDArray scale = ctx.constant(node, 1);
        INDArray bias = ctx.constant(node, 2);
        INDArray mean = ctx.constant(node, 3);
        INDArray var = ctx.constant(node, 4);
        double epsilon = a.getFloat("epsilon", 1e-5f);
        double momentum = a.getFloat("momentum", 0.9f);
        if (a.getInt("spatial", 1) != 1) {
            throw node.unsupported("spatial=0 (per-activation statistics) has no DL4J equivalent");
        }
        if (node.opset() < 7 && a.getInt("is_test", 0) == 0) {
            throw node.unsupported("is_test=0 (batch statistics in the exported graph); export the model in eval"
                    + " mode (model.eval())");
        }
        if (a.getInt("training_mode", 0) != 0) {
            throw node.unsupported("training_mode=1 (batch statistics in the exported graph); export the model "
                    + "in eval mode (model.eval())");
        }
        a.requireAllRead();
        ctx.requireOnlyFirstOutputUsed(node);
        long channels = x.dim(1);
        for (INDArray p : new INDArray[] {scale, bias, mean, var}) {
            if (p.length() != channels) {
                throw node.invalid("a parameter has " + p.length() + " values for " + channels + " channels");
            }
        }
        if (x.rank() != 2 && x.rank() != 4) {
            throw node.unsupported("input of shape " + ImportContext.shape(x.shape()) + "; DL4J's batch "
                    + "normalisation takes [N,F] or [N,C,H,W]");
        }
        String name = ctx.vertexName(node, "");
        ctx.addLayer(name, new BatchNormalization.Builder()
                .nIn(channels).nOut(channels)
                .eps(epsilon)
                .decay(momentum)
                .useLogStd(false)
                .build(), x.vertex());
        ctx.setParam(name, "gamma", scale);
        ctx.setParam(name, "beta", bias);
        ctx.setParam(name, "mean", mean);
        ctx.setParam(name, "var", var);
        ctx.produce(node, name, x.shape());
    }
}
