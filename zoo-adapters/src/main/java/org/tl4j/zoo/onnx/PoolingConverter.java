package org.tl4j.zoo.onnx;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.tl4j.zoo.arch.LayerHelpers;

/**
 * ONNX MaxPool / AveragePool to DL4J SubsamplingLayer, GlobalAveragePool / GlobalMaxPool to GlobalPoolingLayer.
 *
 * <p>DL4J pools with symmetric padding or in "Same" mode; {@link SpatialGeometry#planPooling} picks whichever
 * reproduces ONNX's windows (ceil_mode, asymmetric pads). Max pooling never pads with zeros, so a max pool whose
 * windows neither layout reproduces is rejected rather than approximated.
 */
final class PoolingConverter implements OpConverter {

    private final PoolingType type;
    private final boolean global;

    PoolingConverter(PoolingType type, boolean global) {
        this.type = type;
        this.global = global;
    }

    @Override
    public void convert(OnnxNode node, ImportContext ctx) {
        OnnxValue x = ctx.activation(node, 0);
        OpConverter.requireImage(node, x);
        if (global) {
            node.attributes().requireAllRead();
            String name = ctx.vertexName(node, "");
            ctx.addLayer(name, new GlobalPoolingLayer.Builder(type).collapseDimensions(false).build(), x.vertex());
            ctx.produce(node, name, new long[] {x.dim(0), x.dim(1), 1, 1});
            return;
        }
        NodeAttributes a = node.attributes();
        ctx.requireOnlyFirstOutputUsed(node);
        long[] kernelAttr = a.getInts("kernel_shape");
        if (kernelAttr == null) {
            throw node.invalid("kernel_shape is missing");
        }
        int[] kernel = OpConverter.pair(node, "kernel_shape", 1);
        int[] stride = OpConverter.pair(node, "strides", 1);
        int[] dilation = OpConverter.pair(node, "dilations", 1);
        boolean ceilMode = a.getInt("ceil_mode", 0) != 0;
        boolean isMax = type == PoolingType.MAX;
        boolean countIncludePad = !isMax && a.getInt("count_include_pad", 0) != 0;
        if (isMax && (dilation[0] > 1 || dilation[1] > 1) && LayerHelpers.oneDnnLoaded()) {
            // libnd4j's oneDNN max pooling ignores dilation (ONNX's test_maxpool_2d_dilations: 31% off); refuse rather
            // than import a model that computes something else.
            throw node.unsupported("dilated max pooling (dilations " + java.util.Arrays.toString(dilation) + ") is"
                    + " computed wrongly by the -onednn builds of nd4j-native that tl4j uses by default; rebuild tl4j"
                    + " with -Dnd4j.native.classifier=linux-x86_64-avx512 to import this model");
        }
        if (isMax) {
            // storage_order only changes the Indices output, which requireOnlyFirstOutputUsed rules out.
            a.ignore("storage_order");
        }
        long[] in = OpConverter.spatial(x);
        String autoPad = a.getString("auto_pad", "NOTSET");
        int[] pads = SpatialGeometry.explicitPads(autoPad, a.getInts("pads"), in, kernel, stride, dilation, node);
        a.requireAllRead();

        long[] out = new long[2];
        for (int i = 0; i < 2; i++) {
            out[i] = autoPad.startsWith("SAME")
                    ? SpatialGeometry.ceilDiv(in[i], stride[i])
                    : SpatialGeometry.poolOutput(in[i], kernel[i], stride[i], dilation[i], pads[i], pads[i + 2], ceilMode);
        }
        SpatialGeometry.PoolingPlan plan = SpatialGeometry.planPooling(in, kernel, stride, dilation, pads, out,
                isMax, countIncludePad);
        if (plan == null) {
            throw node.unsupported("pads " + java.util.Arrays.toString(pads) + (ceilMode ? " with ceil_mode" : "")
                    + (countIncludePad ? " with count_include_pad" : "") + " on input "
                    + ImportContext.shape(x.shape()) + " give windows that DL4J's SubsamplingLayer cannot reproduce");
        }
        String name = ctx.vertexName(node, "");
        String input = x.vertex();
        ConvolutionMode mode = ConvolutionMode.Truncate;
        switch (plan.mode()) {
            case SAME -> mode = ConvolutionMode.Same;
            case ZERO_PAD_THEN_TRUNCATE -> {
                String padName = ctx.vertexName(node, "_pad");
                int[] z = plan.zeroPadding();
                ctx.addLayer(padName, new ZeroPaddingLayer.Builder(z[0], z[1], z[2], z[3]).build(), input);
                input = padName;
            }
            case TRUNCATE -> {
            }
        }
        SubsamplingLayer layer = new SubsamplingLayer.Builder(type)
                .kernelSize(kernel)
                .stride(stride)
                .dilation(dilation)
                .padding(plan.padding())
                .convolutionMode(mode)
                .avgPoolIncludePadInDivisor(countIncludePad)
                .build();
        ctx.addLayer(name, layer, input);
        ctx.produce(node, name, new long[] {x.dim(0), x.dim(1), out[0], out[1]});
    }
}
