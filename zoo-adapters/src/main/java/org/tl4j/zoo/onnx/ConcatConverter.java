package org.tl4j.zoo.onnx;

import org.deeplearning4j.nn.conf.graph.MergeVertex;

/** ONNX Concat along the channel/feature axis (1) to DL4J MergeVertex, which concatenates along dimension 1. */
final class ConcatConverter implements OpConverter {

    private static final OpConverter CONSTANTS = new ShapeArithmeticConverter(ShapeArithmeticConverter.Kind.CONCAT);

    @Override
    public void convert(OnnxNode node, ImportContext ctx) {
        boolean allConstant = node.inputs().stream().allMatch(in -> {
            OnnxValue v = ctx.value(in);
            return v != null && v.isConstant();
        });
        if (allConstant) {
            CONSTANTS.convert(node, ctx); // shape vectors, e.g. the target of x.view(x.size(0), -1)
            return;
        }
        NodeAttributes a = node.attributes();
        if (!a.has("axis")) {
            throw node.invalid("attribute 'axis' is missing");
        }
        long axis = a.getInt("axis", 1);
        a.requireAllRead();
        int n = node.inputs().size();
        OnnxValue first = ctx.activation(node, 0);
        long normalised = axis < 0 ? axis + first.rank() : axis;
        if (normalised != 1) {
            throw node.unsupported("axis " + axis + " on rank " + first.rank() + "; DL4J's MergeVertex "
                    + "concatenates along the channel axis 1 only (axis 0 is the batch)");
        }
        String[] inputs = new String[n];
        long[] shape = first.shape().clone();
        shape[1] = 0;
        for (int i = 0; i < n; i++) {
            OnnxValue v = ctx.activation(node, i);
            if (v.rank() != first.rank()) {
                throw node.invalid("inputs have different ranks");
            }
            for (int d = 2; d < v.rank(); d++) {
                if (v.dim(d) != first.dim(d)) {
                    throw node.invalid("input " + i + " of shape " + ImportContext.shape(v.shape())
                            + " does not match " + ImportContext.shape(first.shape()) + " outside axis 1");
                }
            }
            inputs[i] = v.vertex();
            shape[1] += v.dim(1);
        }
        String name = ctx.vertexName(node, "");
        ctx.addVertex(name, new MergeVertex(), inputs);
        ctx.produce(node, name, shape);
    }
}
