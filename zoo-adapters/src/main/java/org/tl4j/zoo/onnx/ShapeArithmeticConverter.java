package org.tl4j.zoo.onnx;

import java.util.Arrays;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Shape, Gather, Unsqueeze and Concat evaluated at import time on integer vectors: what PyTorch writes for
 * {@code x.view(x.size(0), -1)} when the batch is dynamic (Shape, Gather index 0, Unsqueeze, Concat with -1, then
 * Reshape). The batch size, unknown at import, is carried as {@link #BATCH}, which only Reshape's first dimension
 * accepts; nothing here creates a DL4J vertex.
 */
final class ShapeArithmeticConverter implements OpConverter {

    /** Stands for "the batch size" in import-time shape vectors. */
    static final long BATCH = Long.MIN_VALUE;

    enum Kind { SHAPE, GATHER, UNSQUEEZE, CONCAT }

    private final Kind kind;

    ShapeArithmeticConverter(Kind kind) {
        this.kind = kind;
    }

    @Override
    public void convert(OnnxNode node, ImportContext ctx) {
        NodeAttributes a = node.attributes();
        long[] result;
        long[] resultShape;
        switch (kind) {
            case SHAPE -> {
                OnnxValue x = ctx.value(node.input(0));
                if (x == null) {
                    throw node.invalid("input '" + node.input(0) + "' is not defined before this node");
                }
                if (a.has("start") || a.has("end")) {
                    throw node.unsupported("start/end (opset 15 slicing) are not supported");
                }
                result = x.shape().clone();
                if (!x.isConstant() && result.length > 0 && result[0] <= 0) {
                    result[0] = BATCH;
                }
                resultShape = new long[] {result.length};
            }
            case GATHER -> {
                long axis = a.getInt("axis", 0);
                long[] data = longs(ctx.constant(node, 0));
                INDArray indicesArray = ctx.constant(node, 1);
                if (axis != 0 || ctx.constant(node, 0).rank() != 1) {
                    throw node.unsupported("only gathering from a 1-D shape vector (axis 0) is supported");
                }
                long[] indices = longs(indicesArray);
                result = new long[indices.length];
                for (int i = 0; i < indices.length; i++) {
                    long idx = indices[i] < 0 ? indices[i] + data.length : indices[i];
                    if (idx < 0 || idx >= data.length) {
                        throw node.invalid("index " + indices[i] + " is outside a vector of " + data.length);
                    }
                    result[i] = data[(int) idx];
                }
                resultShape = indicesArray.shape();
            }
            case UNSQUEEZE -> {
                INDArray data = ctx.constant(node, 0);
                long[] axes = node.opset() < 13 ? a.getInts("axes") : longs(ctx.constant(node, 1));
                if (axes == null) {
                    throw node.invalid("axes are missing");
                }
                int rank = data.rank() + axes.length;
                long[] shape = new long[rank];
                Arrays.fill(shape, -1);
                for (long axis : axes) {
                    shape[(int) (axis < 0 ? axis + rank : axis)] = 1;
                }
                long[] dataShape = data.shape();
                for (int i = 0, j = 0; i < rank; i++) {
                    if (shape[i] == -1) {
                        shape[i] = dataShape[j++];
                    }
                }
                result = longs(data);
                resultShape = shape;
            }
            case CONCAT -> {
                long axis = a.getInt("axis", 0);
                int total = 0;
                long[][] parts = new long[node.inputs().size()][];
                for (int i = 0; i < parts.length; i++) {
                    INDArray part = ctx.constant(node, i);
                    if (part.rank() > 1) {
                        throw node.unsupported("concatenating constants of rank " + part.rank()
                                + "; import-time concatenation handles shape vectors");
                    }
                    parts[i] = longs(part);
                    total += parts[i].length;
                }
                if (axis != 0 && axis != -1) {
                    throw node.unsupported("axis " + axis + " for 1-D constants");
                }
                result = new long[total];
                int at = 0;
                for (long[] part : parts) {
                    System.arraycopy(part, 0, result, at, part.length);
                    at += part.length;
                }
                resultShape = new long[] {total};
            }
            default -> throw new IllegalStateException(kind.toString());
        }
        a.requireAllRead();
        INDArray value = resultShape.length == 0 ? Nd4j.scalar(result[0])
                : Nd4j.createFromArray(result).reshape(resultShape);
        ctx.define(node.outputs().get(0), OnnxValue.constant(value));
    }

    /** All values of an integer constant, scalars included. */
    static long[] longs(INDArray a) {
        return a.length() == 0 ? new long[0] : a.reshape(a.length()).toLongVector();
    }
}
