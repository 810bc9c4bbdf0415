package org.tl4j.zoo.onnx;

import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.tl4j.zoo.graph.ChannelSubsetVertex;

/**
 * ONNX Slice of a contiguous range of channels (axis 1, step 1) to DL4J's subset vertex: {@link ChannelSubsetVertex}
 * for images, {@code SubsetVertex} for [N, F] vectors. This is how grouped convolutions written as channel
 * subsets (tl4j's AlexNet, exported by {@link OnnxExporter}) come back. Bounds are constants (inputs from opset 10,
 * attributes before); negative bounds count from the end and are clamped as ONNX specifies.
 */
final class SliceConverter implements OpConverter {

    @Override
    public void convert(OnnxNode node, ImportContext ctx) {
        OnnxValue x = ctx.activation(node, 0);
        NodeAttributes a = node.attributes();
        long[] starts;
        long[] ends;
        long[] axes;
        long[] steps = null;
        if (node.opset() < 10) {
            starts = a.getInts("starts");
            ends = a.getInts("ends");
            axes = a.getInts("axes");
        } else {
            starts = ShapeArithmeticConverter.longs(ctx.constant(node, 1));
            ends = ShapeArithmeticConverter.longs(ctx.constant(node, 2));
            INDArray axesValue = ctx.optionalConstant(node, 3);
            INDArray stepsValue = ctx.optionalConstant(node, 4);
            axes = axesValue == null ? null : ShapeArithmeticConverter.longs(axesValue);
            steps = stepsValue == null ? null : ShapeArithmeticConverter.longs(stepsValue);
        }
        a.requireAllRead();
        if (starts == null || ends == null || starts.length != 1 || ends.length != 1) {
            throw node.unsupported("slices along several axes; only a range of channels (axis 1) is supported");
        }
        long axis = axes == null ? 0 : (axes[0] < 0 ? axes[0] + x.rank() : axes[0]);
        if (axis != 1 || (steps != null && steps[0] != 1) || (x.rank() != 2 && x.rank() != 4)) {
            throw node.unsupported("slice on axis " + axis + (steps == null ? "" : " with step " + steps[0])
                    + " of " + ImportContext.shape(x.shape()) + "; only channels (axis 1, step 1) of [N,C,H,W] or"
                    + " [N,F] are supported");
        }
        long dim = x.dim(1);
        long from = clamp(starts[0] < 0 ? starts[0] + dim : starts[0], dim);
        long to = clamp(ends[0] < 0 ? ends[0] + dim : ends[0], dim);
        if (to <= from) {
            throw node.unsupported("empty slice [" + from + ", " + to + ") of " + dim + " channels");
        }
        String name = ctx.vertexName(node, "");
        ctx.addVertex(name, x.rank() == 4 ? new ChannelSubsetVertex((int) from, (int) (to - 1))
                : new SubsetVertex((int) from, (int) (to - 1)), x.vertex());
        long[] shape = x.shape().clone();
        shape[1] = to - from;
        ctx.produce(node, name, shape);
    }

    private static long clamp(long v, long dim) {
        return Math.max(0, Math.min(v, dim));
    }
}
