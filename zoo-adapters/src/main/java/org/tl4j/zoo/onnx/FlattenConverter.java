package org.tl4j.zoo.onnx;

import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ONNX Flatten (axis 1) and Reshape to {@code [batch, features]} to DL4J's CnnToFeedForwardPreProcessor, as a
 * vertex. Both flatten NCHW in C order (channel slowest, width fastest), so dense weights exported for ONNX's
 * layout apply unchanged. Reshapes that touch the batch dimension or make other shapes are rejected.
 */
final class FlattenConverter implements OpConverter {

    private final boolean reshape;

    FlattenConverter(boolean reshape) {
        this.reshape = reshape;
    }

    @Override
    public void convert(OnnxNode node, ImportContext ctx) {
        NodeAttributes a = node.attributes();
        OnnxValue x = ctx.activation(node, 0);
        if (reshape) {
            checkReshapeTarget(node, x, ctx.constant(node, 1), a.getInt("allowzero", 0) != 0);
        } else {
            long axis = a.getInt("axis", 1);
            long normalised = axis < 0 ? axis + x.rank() : axis;
            if (normalised != 1) {
                throw node.unsupported("axis " + axis + " on rank " + x.rank() + "; only flattening to "
                        + "[batch, features] (axis 1) keeps DL4J's batch dimension");
            }
        }
        a.requireAllRead();
        if (x.rank() == 2) {
            ctx.alias(node, x);
            return;
        }
        if (x.rank() != 4) {
            throw node.unsupported("flattening a tensor of shape " + ImportContext.shape(x.shape())
                    + "; DL4J's CnnToFeedForwardPreProcessor flattens [N,C,H,W] images");
        }
        long features = x.dim(1) * x.dim(2) * x.dim(3);
        String name = ctx.vertexName(node, "");
        ctx.addVertex(name, new PreprocessorVertex(new CnnToFeedForwardPreProcessor(x.dim(2), x.dim(3), x.dim(1))),
                x.vertex());
        ctx.produce(node, name, new long[] {x.dim(0), features});
    }

    /** Accepts [0|-1|batch, features|-1] where features is the product of the non-batch dimensions. */
    private static void checkReshapeTarget(OnnxNode node, OnnxValue x, INDArray target, boolean allowZero) {
        long[] t = ShapeArithmeticConverter.longs(target);
        long features = 1;
        for (int i = 1; i < x.rank(); i++) {
            features *= x.dim(i);
        }
        String what = "target shape " + java.util.Arrays.toString(t).replace(String.valueOf(ShapeArithmeticConverter.BATCH), "batch") + " for input " + ImportContext.shape(x.shape());
        if (t.length != 2) {
            throw node.unsupported(what + ": only reshapes to [batch, features] are supported");
        }
        boolean batchKept = (t[0] == 0 && !allowZero) || (t[0] == -1 && t[1] == features)
                || (t[0] == x.dim(0) && x.dim(0) > 0) || t[0] == ShapeArithmeticConverter.BATCH;
        boolean featuresOk = t[1] == features || (t[1] == -1 && t[0] != -1);
        if (!batchKept || !featuresOk) {
            throw node.unsupported(what + ": only reshapes to [batch, features] are supported, the batch "
                    + "dimension must stay first");
        }
    }
}
