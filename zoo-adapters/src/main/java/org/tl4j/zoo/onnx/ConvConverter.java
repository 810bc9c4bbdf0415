package org.tl4j.zoo.onnx;

import org.tl4j.zoo.graph.ChannelSubsetVertex;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * ONNX Conv (2-D) to DL4J ConvolutionLayer. ONNX and DL4J share the weight layout [out, in, kh, kw].
 * Asymmetric padding becomes a ZeroPaddingLayer in front (zeros are exactly what ONNX pads a convolution with).
 * A grouped convolution becomes one ConvolutionLayer per group on a channel subset, merged again, so the group
 * structure survives training.
 */
final class ConvConverter implements OpConverter {

    @Override
    public void convert(OnnxNode node, ImportContext ctx) {
        NodeAttributes a = node.attributes();
        OnnxValue x = ctx.activation(node, 0);
        OpConverter.requireImage(node, x);
        INDArray w = ctx.constant(node, 1);
        INDArray b = ctx.optionalConstant(node, 2);
        if (w.rank() != 4) {
            throw node.unsupported("weight of shape " + ImportContext.shape(w.shape()) + " is not 2-D [M,C,kh,kw]");
        }
        int[] kernel = {(int) w.size(2), (int) w.size(3)};
        long[] kernelAttr = a.getInts("kernel_shape");
        if (kernelAttr != null && (kernelAttr.length != 2 || kernelAttr[0] != kernel[0] || kernelAttr[1] != kernel[1])) {
            throw node.invalid("kernel_shape " + java.util.Arrays.toString(kernelAttr)
                    + " disagrees with the weight shape " + ImportContext.shape(w.shape()));
        }
        int[] stride = OpConverter.pair(node, "strides", 1);
        int[] dilation = OpConverter.pair(node, "dilations", 1);
        long group = a.getInt("group", 1);
        long[] in = OpConverter.spatial(x);
        int[] pads = SpatialGeometry.explicitPads(a.getString("auto_pad", "NOTSET"), a.getInts("pads"), in, kernel,
                stride, dilation, node);
        a.requireAllRead();

        long cin = x.dim(1);
        long cout = w.size(0);
        if (w.size(1) * group != cin || cout % group != 0) {
            throw node.invalid("weight " + ImportContext.shape(w.shape()) + " with group " + group
                    + " does not fit an input with " + cin + " channels");
        }
        if (b != null && b.length() != cout) {
            throw node.invalid("bias has " + b.length() + " values for " + cout + " output channels");
        }
        long[] outShape = {x.dim(0), cout,
            SpatialGeometry.floorOutput(in[0], kernel[0], stride[0], dilation[0], pads[0], pads[2]),
            SpatialGeometry.floorOutput(in[1], kernel[1], stride[1], dilation[1], pads[1], pads[3])};

        String name = ctx.vertexName(node, "");
        String input = x.vertex();
        int[] convPadding = {pads[0], pads[1]};
        if (pads[0] != pads[2] || pads[1] != pads[3]) {
            String padName = ctx.vertexName(node, "_pad");
            ctx.addLayer(padName, new ZeroPaddingLayer.Builder(pads[0], pads[2], pads[1], pads[3]).build(), input);
            input = padName;
            convPadding = new int[] {0, 0};
        }
        if (group == 1) {
            ctx.addLayer(name, layer(cin, cout, kernel, stride, dilation, convPadding, b != null), input);
            setParams(ctx, name, w, b);
        } else {
            long cinG = cin / group;
            long coutG = cout / group;
            String[] parts = new String[(int) group];
            for (int g = 0; g < group; g++) {
                String subset = ctx.vertexName(node, "_in" + g);
                ctx.addVertex(subset, new ChannelSubsetVertex((int) (g * cinG), (int) ((g + 1) * cinG - 1)), input);
                parts[g] = ctx.vertexName(node, "_g" + g);
                ctx.addLayer(parts[g], layer(cinG, coutG, kernel, stride, dilation, convPadding, b != null), subset);
                INDArray wg = w.get(NDArrayIndex.interval(g * coutG, (g + 1) * coutG)).dup();
                INDArray bg = b == null ? null : b.reshape(cout).get(NDArrayIndex.interval(g * coutG, (g + 1) * coutG)).dup();
                setParams(ctx, parts[g], wg, bg);
            }
            ctx.addVertex(name, new MergeVertex(), parts);
        }
        ctx.produce(node, name, outShape);
    }

    private static ConvolutionLayer layer(long cin, long cout, int[] kernel, int[] stride, int[] dilation,
                                          int[] padding, boolean hasBias) {
        return new ConvolutionLayer.Builder()
                .nIn(cin).nOut(cout)
                .kernelSize(kernel)
                .stride(stride)
                .dilation(dilation)
                .padding(padding)
                .convolutionMode(ConvolutionMode.Truncate)
                .hasBias(hasBias)
                .activation(Activation.IDENTITY)
                .build();
    }

    private static void setParams(ImportContext ctx, String vertex, INDArray w, INDArray b) {
        ctx.setParam(vertex, "W", w);
        if (b != null) {
            ctx.setParam(vertex, "b", b);
        }
    }
}
