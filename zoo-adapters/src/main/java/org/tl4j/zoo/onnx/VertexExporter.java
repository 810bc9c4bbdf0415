package org.tl4j.zoo.onnx;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Writes one DL4J vertex as ONNX nodes whose final output carries the vertex's name.
 *
 * <table>
 *   <caption>DL4J to ONNX (opset 13)</caption>
 *   <tr><th>DL4J</th><th>ONNX</th></tr>
 *   <tr><td>ConvolutionLayer (2-D, NCHW; Truncate, Strict or Same mode)</td><td>Conv (+ activation)</td></tr>
 *   <tr><td>SubsamplingLayer (MAX, AVG)</td><td>MaxPool, AveragePool (explicit pads; count_include_pad)</td></tr>
 *   <tr><td>GlobalPoolingLayer (MAX, AVG over H and W)</td><td>GlobalMaxPool, GlobalAveragePool (+ Flatten when
 *       DL4J collapses the dimensions)</td></tr>
 *   <tr><td>BatchNormalization</td><td>BatchNormalization (running statistics; DL4J's log10 std as variance)</td></tr>
 *   <tr><td>LocalResponseNormalization</td><td>LRN (DL4J's alpha times the window size)</td></tr>
 *   <tr><td>DenseLayer, OutputLayer</td><td>Gemm (+ activation; the loss is dropped)</td></tr>
 *   <tr><td>ActivationLayer, layer activations</td><td>Relu, LeakyRelu, Sigmoid, Tanh, Softmax (over axis 1 of
 *       [N, F])</td></tr>
 *   <tr><td>DropoutLayer, layer dropout</td><td>Identity / nothing (inference)</td></tr>
 *   <tr><td>ZeroPaddingLayer</td><td>Pad (constant 0)</td></tr>
 *   <tr><td>ElementWiseVertex Add, Subtract, Product, Max, Average</td><td>Add/Sum, Sub, Mul, Max, Mean</td></tr>
 *   <tr><td>MergeVertex (axis 1)</td><td>Concat axis 1</td></tr>
 *   <tr><td>SubsetVertex, ChannelSubsetVertex</td><td>Slice on axis 1</td></tr>
 *   <tr><td>PreprocessorVertex / layer preprocessor CnnToFeedForward</td><td>Flatten axis 1 (both C order)</td></tr>
 *   <tr><td>FrozenLayer, FrozenLayerWithBackprop</td><td>the wrapped layer</td></tr>
 * </table>
 */
final class VertexExporter {

    /** Exact classes: subclasses (Convolution1DLayer, CenterLossOutputLayer, ...) compute something else. */
    private static final java.util.Set<Class<?>> SUPPORTED_LAYERS = java.util.Set.of(ConvolutionLayer.class,
            SubsamplingLayer.class, GlobalPoolingLayer.class, BatchNormalization.class,
            LocalResponseNormalization.class, DenseLayer.class, OutputLayer.class, ActivationLayer.class,
            DropoutLayer.class, ZeroPaddingLayer.class);

    private final ComputationGraph graph;
    private final OnnxGraphWriter w;
    private final Map<String, InputType> types;
    private final String model;

    VertexExporter(ComputationGraph graph, OnnxGraphWriter writer, Map<String, InputType> types, String model) {
        this.graph = graph;
        this.w = writer;
        this.types = types;
        this.model = model;
    }

    void export(String name, GraphVertex vertex, List<String> inputs) {
        if (vertex instanceof LayerVertex lv) {
            layer(name, lv, inputs);
        } else if (vertex instanceof ElementWiseVertex ew) {
            elementWise(name, ew, inputs);
        } else if (vertex instanceof MergeVertex merge) {
            if (merge.getMergeAxis() != 1) {
                throw unsupported(name, vertex, "merge axis " + merge.getMergeAxis() + " (only the channel/feature"
                        + " axis 1 is written)");
            }
            w.node("Concat", name, inputs.toArray(String[]::new)).integer("axis", 1).build();
        } else if (vertex instanceof SubsetVertex subset) {
            // ChannelSubsetVertex and SubsetVertex: channels/features from..to inclusive.
            w.node("Slice", name, inputs.get(0), w.longs(name + "_starts", subset.getFrom()),
                    w.longs(name + "_ends", subset.getTo() + 1L), w.longs(name + "_axes", 1)).build();
        } else if (vertex instanceof PreprocessorVertex pv) {
            String out = preprocess(name, pv.getPreProcessor(), inputs.get(0), name);
            if (!out.equals(name)) {
                w.node("Identity", name, out).build();
            }
        } else {
            throw unsupported(name, vertex, "this vertex type");
        }
    }

    private void layer(String name, LayerVertex vertex, List<String> inputs) {
        Layer layer = unwrap(vertex.getLayerConf().getLayer());
        Class<?> type = layer.getClass();
        if (!SUPPORTED_LAYERS.contains(type)) {
            throw unsupported(name, layer, "this layer type");
        }
        String x = inputs.get(0);
        InputType inType = types.get(x);
        if (vertex.getPreProcessor() != null) {
            x = preprocess(name, vertex.getPreProcessor(), x, w.fresh(name + "_flatten"));
            inType = vertex.getPreProcessor().getOutputType(inType);
        }
        Map<String, INDArray> params = graph.getLayer(name).paramTable();
        if (type == ConvolutionLayer.class) {
            conv(name, (ConvolutionLayer) layer, params, x, inType);
        } else if (type == SubsamplingLayer.class) {
            pool(name, (SubsamplingLayer) layer, x, inType);
        } else if (type == GlobalPoolingLayer.class) {
            globalPool(name, (GlobalPoolingLayer) layer, x, inType);
        } else if (type == BatchNormalization.class) {
            batchNorm(name, (BatchNormalization) layer, params, x, inType);
        } else if (type == LocalResponseNormalization.class) {
            lrn(name, (LocalResponseNormalization) layer, x);
        } else if (type == DenseLayer.class || type == OutputLayer.class) {
            dense(name, (BaseLayer) layer, params, x, inType);
        } else if (type == ActivationLayer.class) {
            activate(name, ((ActivationLayer) layer).getActivationFn(), w.node("Identity", w.fresh(name + "_in"), x)
                    .build(), name, inType);
        } else if (type == DropoutLayer.class) {
            w.node("Identity", name, x).build();
        } else if (type == ZeroPaddingLayer.class) {
            int[] p = ((ZeroPaddingLayer) layer).getPadding(); // top, bottom, left, right
            requireNchw(name, layer, ((ZeroPaddingLayer) layer).getDataFormat());
            w.node("Pad", name, x, w.longs(name + "_pads", 0, 0, p[0], p[2], 0, 0, p[1], p[3])).build();
        } else {
            throw unsupported(name, layer, "this layer type");
        }
    }

    private void conv(String name, ConvolutionLayer c, Map<String, INDArray> params, String x, InputType in) {
        requireNchw(name, c, c.getCnn2dDataFormat());
        int[] k = c.getKernelSize();
        int[] s = c.getStride();
        int[] d = c.getDilation();
        long[] pads = pads(name, c, c.getConvolutionMode(), k, s, d, c.getPadding(), in);
        String weights = w.floats(name + ".W", params.get("W"));
        String[] operands = c.hasBias()
                ? new String[] {x, weights, w.floats(name + ".b", params.get("b").reshape(params.get("b").length()))}
                : new String[] {x, weights};
        String out = w.node("Conv", preActivation(name, c.getActivationFn()), operands)
                .ints("kernel_shape", k).ints("strides", s).ints("dilations", d).ints("pads", pads)
                .integer("group", 1).build();
        activate(name, c.getActivationFn(), out, name, null);
    }

    private void pool(String name, SubsamplingLayer p, String x, InputType in) {
        requireNchw(name, p, p.getCnn2dDataFormat());
        int[] k = p.getKernelSize();
        int[] s = p.getStride();
        int[] d = p.getDilation();
        long[] pads = pads(name, p, p.getConvolutionMode(), k, s, d, p.getPadding(), in);
        if (p.getPoolingType() == PoolingType.MAX) {
            w.node("MaxPool", name, x).ints("kernel_shape", k).ints("strides", s).ints("dilations", d)
                    .ints("pads", pads).build();
        } else if (p.getPoolingType() == PoolingType.AVG) {
            if (d[0] != 1 || d[1] != 1) {
                throw unsupported(name, p, "dilation " + Arrays.toString(d) + " on average pooling (ONNX"
                        + " AveragePool has dilations from opset 19 only)");
            }
            boolean anyPad = Arrays.stream(pads).anyMatch(v -> v != 0);
            w.node("AveragePool", name, x).ints("kernel_shape", k).ints("strides", s).ints("pads", pads)
                    .integer("count_include_pad", anyPad && p.isAvgPoolIncludePadInDivisor() ? 1 : 0).build();
        } else {
            throw unsupported(name, p, "pooling type " + p.getPoolingType() + " (MAX and AVG are written)");
        }
    }

    private void globalPool(String name, GlobalPoolingLayer g, String x, InputType in) {
        if (!(in instanceof InputType.InputTypeConvolutional)) {
            throw unsupported(name, g, "input " + in + " (global pooling of NCHW images is written)");
        }
        int[] dims = g.getPoolingDimensions();
        if (dims != null && !Arrays.equals(dims, new int[] {2, 3})) {
            throw unsupported(name, g, "pooling dimensions " + Arrays.toString(dims) + " (only 2,3: height and width)");
        }
        String op = switch (g.getPoolingType()) {
            case AVG -> "GlobalAveragePool";
            case MAX -> "GlobalMaxPool";
            default -> throw unsupported(name, g, "pooling type " + g.getPoolingType() + " (MAX and AVG are written)");
        };
        if (g.isCollapseDimensions()) {
            String pooled = w.node(op, w.fresh(name + "_pool"), x).build();
            w.node("Flatten", name, pooled).integer("axis", 1).build();
        } else {
            w.node(op, name, x).build();
        }
    }

    private void batchNorm(String name, BatchNormalization bn, Map<String, INDArray> params, String x, InputType in) {
        if (in instanceof InputType.InputTypeConvolutional) {
            requireNchw(name, bn, bn.getCnn2DFormat());
        }
        INDArray mean = params.get("mean");
        long n = mean.length();
        INDArray var;
        if (bn.isUseLogStd()) {
            // DL4J stores log10 of the running std and uses var = (10^log10std)^2 (then divides by sqrt(var + eps)).
            INDArray std = Transforms.pow(Nd4j.valueArrayOf(params.get("log10stdev").shape(), 10.0,
                    params.get("log10stdev").dataType()), params.get("log10stdev"), true);
            var = std.mul(std);
        } else {
            var = params.get("var");
        }
        INDArray gamma = bn.isLockGammaBeta() ? Nd4j.valueArrayOf(new long[] {n}, bn.getGamma()) : params.get("gamma");
        INDArray beta = bn.isLockGammaBeta() ? Nd4j.valueArrayOf(new long[] {n}, bn.getBeta()) : params.get("beta");
        // DL4J's BatchNormalization layer never applies its configured activation (the configuration inherits the
        // global default, sigmoid, which the layer ignores), so none is written.
        w.node("BatchNormalization", name, x,
                        w.floats(name + ".gamma", gamma.reshape(n)), w.floats(name + ".beta", beta.reshape(n)),
                        w.floats(name + ".mean", mean.reshape(n)), w.floats(name + ".var", var.reshape(n)))
                .real("epsilon", bn.getEps()).real("momentum", bn.getDecay()).build();
    }

    private void lrn(String name, LocalResponseNormalization lrn, String x) {
        requireNchw(name, lrn, lrn.getDataFormat());
        // DL4J sums over a centred window of 2*floor(n/2)+1 channels and multiplies by alpha; ONNX multiplies by
        // alpha/size over a window of size channels.
        long size = 2 * (long) Math.floor(lrn.getN() / 2) + 1;
        w.node("LRN", name, x).integer("size", size).real("alpha", lrn.getAlpha() * size)
                .real("beta", lrn.getBeta()).real("bias", lrn.getK()).build();
    }

    private void dense(String name, BaseLayer layer, Map<String, INDArray> params, String x, InputType in) {
        if (!(in instanceof InputType.InputTypeFeedForward)) {
            throw unsupported(name, layer, "input " + in + " without a CnnToFeedForward preprocessor");
        }
        INDArray weights = params.get("W"); // [nIn, nOut]
        INDArray bias = params.get("b");
        String[] operands = bias == null
                ? new String[] {x, w.floats(name + ".W", weights)}
                : new String[] {x, w.floats(name + ".W", weights), w.floats(name + ".b", bias.reshape(bias.length()))};
        String out = w.node("Gemm", preActivation(name, layer.getActivationFn()), operands).build();
        activate(name, layer.getActivationFn(), out, name, InputType.feedForward(weights.size(1)));
    }

    private void elementWise(String name, ElementWiseVertex vertex, List<String> inputs) {
        String[] in = inputs.toArray(String[]::new);
        String op = switch (vertex.getOp()) {
            case Add -> in.length == 2 ? "Add" : "Sum";
            case Subtract -> "Sub";
            case Product -> in.length == 2 ? "Mul" : null;
            case Max -> "Max";
            case Average -> "Mean";
            default -> null;
        };
        if (op == null) {
            throw unsupported(name, vertex, "element-wise " + vertex.getOp() + " of " + in.length + " inputs");
        }
        w.node(op, name, in).build();
    }

    /** Writes a preprocessor; returns the name of its output. */
    private String preprocess(String vertex, InputPreProcessor p, String x, String output) {
        if (p instanceof CnnToFeedForwardPreProcessor cnn) {
            requireNchw(vertex, p, cnn.getFormat());
            return w.node("Flatten", output, x).integer("axis", 1).build();
        }
        throw unsupported(vertex, p, "this input preprocessor");
    }

    /** The name for the output of a layer's linear part: the vertex name when no activation follows. */
    private String preActivation(String name, IActivation activation) {
        return activation == null || activation instanceof ActivationIdentity ? name : w.fresh(name + "_linear");
    }

    private void activate(String name, IActivation fn, String x, String output, InputType in) {
        if (fn == null || fn instanceof ActivationIdentity) {
            if (!x.equals(output)) {
                w.node("Identity", output, x).build();
            }
            return;
        }
        if (fn instanceof ActivationReLU relu) {
            if (nonZero(relu.getMax()) || nonZero(relu.getThreshold()) || nonZero(relu.getNegativeSlope())) {
                throw new OnnxExportException(model + ": layer '" + name + "' uses ReLU with max/threshold/slope; the"
                        + " exporter writes the plain ReLU only");
            }
            w.node("Relu", output, x).build();
        } else if (fn instanceof ActivationLReLU leaky) {
            w.node("LeakyRelu", output, x).real("alpha", leaky.getAlpha()).build();
        } else if (fn instanceof ActivationSigmoid) {
            w.node("Sigmoid", output, x).build();
        } else if (fn instanceof ActivationTanH) {
            w.node("Tanh", output, x).build();
        } else if (fn instanceof ActivationSoftmax) {
            if (in != null && !(in instanceof InputType.InputTypeFeedForward)) {
                throw new OnnxExportException(model + ": layer '" + name + "' applies softmax to " + in
                        + "; the exporter writes softmax over the features of [N, F]");
            }
            w.node("Softmax", output, x).integer("axis", 1).build();
        } else {
            throw new OnnxExportException(model + ": layer '" + name + "' uses activation " + fn + "; the exporter"
                    + " writes identity, ReLU, leaky ReLU, sigmoid, tanh and softmax");
        }
    }

    /**
     * ONNX pads {top, left, bottom, right} reproducing DL4J's padding. DL4J's Same mode pads so that the output is
     * ceil(in / stride), the smaller half on top/left (ConvolutionUtils.getSameModeTopLeftPadding).
     */
    private long[] pads(String name, Object layer, ConvolutionMode mode, int[] k, int[] s, int[] d, int[] padding,
                        InputType in) {
        if (mode == ConvolutionMode.Same) {
            if (!(in instanceof InputType.InputTypeConvolutional cnn)) {
                throw unsupported(name, layer, "Same mode on input " + in);
            }
            long[] size = {cnn.getHeight(), cnn.getWidth()};
            long[] pads = new long[4];
            for (int i = 0; i < 2; i++) {
                long out = (size[i] + s[i] - 1) / s[i];
                long effective = k[i] + (long) (k[i] - 1) * (d[i] - 1);
                long total = Math.max(0, (out - 1) * s[i] + effective - size[i]);
                pads[i] = total / 2;
                pads[i + 2] = total - total / 2;
            }
            return pads;
        }
        if (mode == ConvolutionMode.Truncate || mode == ConvolutionMode.Strict) {
            return new long[] {padding[0], padding[1], padding[0], padding[1]};
        }
        throw unsupported(name, layer, "convolution mode " + mode + " (Truncate, Strict and Same are written)");
    }

    private void requireNchw(String name, Object layer, CNN2DFormat format) {
        if (format != null && format != CNN2DFormat.NCHW) {
            throw unsupported(name, layer, "data format " + format + " (the exporter writes NCHW)");
        }
    }

    private static Layer unwrap(Layer layer) {
        Layer l = layer;
        while (true) {
            if (l instanceof FrozenLayerWithBackprop f) {
                l = f.getUnderlying();
            } else if (l instanceof FrozenLayer f) {
                l = f.getLayer();
            } else {
                return l;
            }
        }
    }

    private static boolean nonZero(Double v) {
        return v != null && v != 0.0;
    }

    private OnnxExportException unsupported(String vertex, Object what, String detail) {
        return new OnnxExportException(model + ": vertex '" + vertex + "' (" + what.getClass().getSimpleName()
                + ") cannot be written as ONNX: " + detail + ". The exporter supports convolution, batch"
                + " normalisation, pooling (global too), dense/output, activation, dropout, LRN, zero padding,"
                + " element-wise, merge, subset and flatten vertices; see OnnxExporter's Javadoc.");
    }
}
