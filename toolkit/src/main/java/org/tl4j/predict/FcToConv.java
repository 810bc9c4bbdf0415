package org.tl4j.predict;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Turns a trained graph's fully connected head into convolutions so that it slides over an image larger than the
 * one it was trained on and yields a map of class scores (the "FC to convolution" trick of OverFeat / FCN).
 *
 * <ul>
 *   <li>A dense layer reading a C x H x W volume becomes an H x W convolution with as many filters as the layer had
 *       outputs; its weights are the dense weights reordered by DL4J's flatten order (the
 *       {@link CnnToFeedForwardPreProcessor}: NCHW flattens as c*H*W + h*W + w, NHWC as h*W*C + w*C + c).</li>
 *   <li>A global pooling layer becomes a pooling window of the size it pooled at the original input, stride 1.</li>
 *   <li>Dense layers after those become 1x1 convolutions (DL4J's dense W is [nIn, nOut], a convolution's
 *       [nOut, nIn, kH, kW]).</li>
 *   <li>The output layer becomes a 1x1 (or H x W) convolution without activation followed by a {@link CnnLossLayer}
 *       with the original activation, which DL4J applies per location (softmax over the classes at each position).</li>
 * </ul>
 *
 * At the original input size the result computes the same function (a 1x1 map); at a larger size each location of
 * the map scores the window of the original size at that position. The result is for inference: dropout is left
 * out of converted layers and frozen wrappers are removed.
 */
public final class FcToConv {

    /** Suffix of the convolution that takes over an output layer's weights; the loss layer keeps the name. */
    public static final String OUTPUT_CONV_SUFFIX = "_conv";

    private FcToConv() {
    }

    /**
     * The convolutional equivalent of {@code trained}.
     *
     * @param trained the network, with its trained parameters (not changed)
     * @param input   the input size it was built for (e.g. {@code Architectures.inputType(spec)})
     * @throws FcToConvException when a layer after the first dense layer has no per-location equivalent
     */
    public static ComputationGraph convert(ComputationGraph trained, InputType input) {
        ComputationGraphConfiguration conf = trained.getConfiguration();
        Map<String, InputType> types = conf.getLayerActivationTypes(input);
        Map<String, List<String>> inputs = conf.getVertexInputs();
        // Vertices whose output was a vector (FF) in the original and is a map (CNN) in the converted network.
        Set<String> spatialised = new HashSet<>();
        Map<String, ParamCopy> copies = new HashMap<>();

        GraphBuilder g = new NeuralNetConfiguration.Builder().dataType(conf.getDataType()).graphBuilder();
        g.addInputs(conf.getNetworkInputs());
        for (String name : conf.getTopologicalOrderStr()) {
            if (conf.getNetworkInputs().contains(name)) {
                continue;
            }
            GraphVertex vertex = conf.getVertices().get(name);
            List<String> in = inputs.get(name);
            boolean spatialInput = in.stream().anyMatch(spatialised::contains);
            if (!(vertex instanceof LayerVertex layerVertex)) {
                if (spatialInput && !(vertex instanceof MergeVertex || vertex instanceof ElementWiseVertex)) {
                    throw new FcToConvException(name, vertex.getClass().getSimpleName());
                }
                g.addVertex(name, vertex.clone(), in.toArray(String[]::new));
                if (spatialInput) {
                    spatialised.add(name);
                }
                continue;
            }
            org.deeplearning4j.nn.conf.layers.Layer layer = unwrap(layerVertex.getLayerConf().getLayer());
            InputType inType = types.get(in.get(0));
            InputPreProcessor pre = layerVertex.getPreProcessor();
            if (layer instanceof GlobalPoolingLayer pool && inType instanceof InputType.InputTypeConvolutional cnn) {
                g.addLayer(name, new SubsamplingLayer.Builder(pool.getPoolingType())
                        .kernelSize((int) cnn.getHeight(), (int) cnn.getWidth()).stride(1, 1)
                        .pnorm(Math.max(pool.getPnorm(), 1))
                        .convolutionMode(ConvolutionMode.Truncate).build(), in.get(0));
                spatialised.add(name);
            } else if (layer instanceof DenseLayer || layer instanceof BaseOutputLayer) {
                org.deeplearning4j.nn.conf.layers.FeedForwardLayer dense =
                        (org.deeplearning4j.nn.conf.layers.FeedForwardLayer) layer;
                Kernel k = kernelFor(name, inType, pre, spatialInput, dense.getNIn());
                boolean output = layer instanceof BaseOutputLayer;
                String convName = output ? name + OUTPUT_CONV_SUFFIX : name;
                boolean bias = !(layer instanceof org.deeplearning4j.nn.conf.layers.BaseLayer base) || hasBias(base);
                g.addLayer(convName, new ConvolutionLayer.Builder(k.height, k.width).stride(1, 1)
                        .nIn(k.channels).nOut(dense.getNOut())
                        .activation(output ? new org.nd4j.linalg.activations.impl.ActivationIdentity()
                                : ((org.deeplearning4j.nn.conf.layers.BaseLayer) layer).getActivationFn())
                        .hasBias(bias)
                        .convolutionMode(ConvolutionMode.Truncate).build(), in.get(0));
                copies.put(convName, new ParamCopy(name, k, dense.getNOut()));
                if (output) {
                    BaseOutputLayer out = (BaseOutputLayer) layer;
                    g.addLayer(name, new CnnLossLayer.Builder(out.getLossFn()).activation(out.getActivationFn())
                            .format(CNN2DFormat.NCHW).build(), convName);
                }
                spatialised.add(name);
            } else if (spatialInput) {
                boolean elementWise = layer instanceof DropoutLayer
                        || (layer instanceof ActivationLayer act && !(act.getActivationFn() instanceof ActivationSoftmax));
                if (!elementWise) {
                    throw new FcToConvException(name, layer.getClass().getSimpleName());
                }
                g.addLayer(name, layer.clone(), in.toArray(String[]::new));
                spatialised.add(name);
            } else {
                g.addLayer(name, layer.clone(), pre == null ? null : pre.clone(), in.toArray(String[]::new));
            }
        }
        g.setOutputs(conf.getNetworkOutputs().toArray(String[]::new));
        ComputationGraph converted = new ComputationGraph(g.build());
        converted.init();
        copyParameters(trained, converted, copies);
        return converted;
    }

    private static org.deeplearning4j.nn.conf.layers.Layer unwrap(org.deeplearning4j.nn.conf.layers.Layer layer) {
        if (layer instanceof FrozenLayer frozen) {
            return unwrap(frozen.getLayer());
        }
        if (layer instanceof BaseWrapperLayer wrapper) {
            return unwrap(wrapper.getUnderlying());
        }
        return layer;
    }

    private static boolean hasBias(org.deeplearning4j.nn.conf.layers.BaseLayer layer) {
        if (layer instanceof DenseLayer d) {
            return d.hasBias();
        }
        if (layer instanceof BaseOutputLayer o) {
            return o.hasBias();
        }
        return true;
    }

    /** The window and flatten order a dense layer reads. */
    private record Kernel(int channels, int height, int width, CNN2DFormat flattenOrder) {
    }

    private static Kernel kernelFor(String name, InputType inType, InputPreProcessor pre, boolean spatialInput,
                                    long nIn) {
        if (spatialInput) {
            return new Kernel((int) nIn, 1, 1, CNN2DFormat.NCHW);
        }
        if (inType instanceof InputType.InputTypeConvolutional cnn) {
            CNN2DFormat order = pre instanceof CnnToFeedForwardPreProcessor p && p.getFormat() != null
                    ? p.getFormat() : CNN2DFormat.NCHW;
            return new Kernel((int) cnn.getChannels(), (int) cnn.getHeight(), (int) cnn.getWidth(), order);
        }
        throw new FcToConvException(name, "dense layer reading " + inType + " (not an image volume)");
    }

    private record ParamCopy(String source, Kernel kernel, long nOut) {
    }

    private static void copyParameters(ComputationGraph from, ComputationGraph to, Map<String, ParamCopy> copies) {
        for (Layer target : to.getLayers()) {
            String name = target.conf().getLayer().getLayerName();
            ParamCopy copy = copies.get(name);
            if (copy != null) {
                Map<String, INDArray> source = from.getLayer(copy.source()).paramTable();
                target.setParam("W", convolutionWeights(source.get("W"), copy.kernel(), copy.nOut()));
                if (source.containsKey("b")) {
                    target.setParam("b", source.get("b").reshape(target.getParam("b").shape()));
                }
            } else if (target.numParams() > 0) {
                Map<String, INDArray> source = from.getLayer(name).paramTable();
                for (Map.Entry<String, INDArray> e : target.paramTable().entrySet()) {
                    e.getValue().assign(source.get(e.getKey()).reshape(e.getValue().shape()));
                }
            }
        }
    }

    /** Dense W [C*H*W, nOut] in the preprocessor's flatten order -> convolution W [nOut, C, H, W]. */
    static INDArray convolutionWeights(INDArray dense, Kernel k, long nOut) {
        INDArray byOutput = dense.transpose().dup('c');
        if (k.flattenOrder() == CNN2DFormat.NHWC) {
            return byOutput.reshape('c', nOut, k.height(), k.width(), k.channels()).permute(0, 3, 1, 2).dup('c');
        }
        return byOutput.reshape('c', nOut, k.channels(), k.height(), k.width());
    }
}
