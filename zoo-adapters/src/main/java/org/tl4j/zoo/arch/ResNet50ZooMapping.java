package org.tl4j.zoo.arch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Carries the weights of DL4J's zoo {@code org.deeplearning4j.zoo.model.ResNet50} onto tl4j's {@link ResNet50}
 * by layer name. The zoo already uses the Caffe names for its blocks ({@code res2a_branch2a},
 * {@code bn2a_branch2a}, ...); only the stem and the classifier are renamed ({@code stem-cnn1 -> conv1},
 * {@code stem-batch1 -> bn_conv1}, {@code output -> fc1000}). Every zoo parameter has a tl4j parameter of the
 * same shape:
 * <ul>
 *   <li>weights, BatchNorm gamma/beta/mean/log10 std and the classifier's bias are copied;</li>
 *   <li>the zoo's convolutions have a bias, tl4j's (like the paper's) do not, as BatchNorm follows every one of
 *       them: BN(conv(x) + b) with running mean m is BN(conv(x)) with running mean m - b, so each bias is
 *       subtracted from the running mean of the BatchNorm that follows its convolution (exact in inference;
 *       with batch statistics in training the bias cancels anyway).</li>
 * </ul>
 * The zoo's graph differs from the paper's in its strides and final pooling, which have no parameters; the
 * tl4j graph with the zoo's weights therefore computes the paper's network, not the zoo's.
 */
public final class ResNet50ZooMapping {

    /** How one zoo parameter reaches tl4j's graph. */
    public enum Kind {
        /** Same values, same shape. */
        COPY,
        /** A convolution bias, subtracted from the running mean (same shape) of the BatchNorm after it. */
        SUBTRACT_FROM_MEAN
    }

    /**
     * One zoo parameter and where it goes.
     *
     * @param zooLayer  layer in the zoo graph
     * @param zooParam  its parameter key ({@code W}, {@code b}, {@code gamma}, {@code beta}, {@code mean}, ...)
     * @param tl4jLayer layer in tl4j's graph
     * @param tl4jParam parameter key there
     * @param kind      copied, or folded into a running mean
     */
    public record ParamMapping(String zooLayer, String zooParam, String tl4jLayer, String tl4jParam, Kind kind) {
    }

    private ResNet50ZooMapping() {
    }

    /** The tl4j layer name of a zoo layer name. */
    public static String tl4jLayer(String zooLayer) {
        return switch (zooLayer) {
            case "stem-cnn1" -> "conv1";
            case "stem-batch1" -> "bn_conv1";
            case "output" -> "fc1000";
            default -> zooLayer;
        };
    }

    /** The BatchNorm layer that follows a tl4j convolution: {@code conv1 -> bn_conv1}, {@code res2a_branch1 -> bn2a_branch1}. */
    static String batchNormAfter(String tl4jConv) {
        if (tl4jConv.equals("conv1")) {
            return "bn_conv1";
        }
        if (tl4jConv.startsWith("res") && tl4jConv.contains("_branch")) {
            return "bn" + tl4jConv.substring(3);
        }
        throw new IllegalArgumentException("no BatchNorm follows '" + tl4jConv + "' in ResNet-50");
    }

    /** Where every parameter of the zoo graph goes. */
    public static List<ParamMapping> mapping(ComputationGraph zoo) {
        List<ParamMapping> mappings = new ArrayList<>();
        for (Layer layer : zoo.getLayers()) {
            String zooLayer = layer.conf().getLayer().getLayerName();
            String tl4jLayer = tl4jLayer(zooLayer);
            boolean convolution = layer.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
            for (String key : layer.paramTable().keySet()) {
                if (convolution && key.equals("b")) {
                    mappings.add(new ParamMapping(zooLayer, key, batchNormAfter(tl4jLayer), "mean",
                            Kind.SUBTRACT_FROM_MEAN));
                } else {
                    mappings.add(new ParamMapping(zooLayer, key, tl4jLayer, key, Kind.COPY));
                }
            }
        }
        return mappings;
    }

    /**
     * Sets {@code tl4j}'s parameters from {@code zoo}'s.
     *
     * @throws IllegalArgumentException naming the parameter when a target is missing or has another shape
     */
    public static void copy(ComputationGraph zoo, ComputationGraph tl4j) {
        List<ParamMapping> mappings = mapping(zoo);
        for (ParamMapping m : mappings) {
            INDArray source = zoo.getLayer(m.zooLayer()).getParam(m.zooParam());
            INDArray target = target(tl4j, m);
            if (!Arrays.equals(source.shape(), target.shape())) {
                throw new IllegalArgumentException("zoo parameter " + m.zooLayer() + "_" + m.zooParam() + " "
                        + Arrays.toString(source.shape()) + " does not fit " + m.tl4jLayer() + "_" + m.tl4jParam()
                        + " " + Arrays.toString(target.shape()) + " (is the tl4j graph full-width ResNet-50?)");
            }
        }
        // Copies first, so that the running means exist before the biases are folded into them.
        for (ParamMapping m : mappings) {
            if (m.kind() == Kind.COPY) {
                tl4j.getLayer(m.tl4jLayer()).setParam(m.tl4jParam(), zoo.getLayer(m.zooLayer()).getParam(m.zooParam()).dup());
            }
        }
        for (ParamMapping m : mappings) {
            if (m.kind() == Kind.SUBTRACT_FROM_MEAN) {
                target(tl4j, m).subi(zoo.getLayer(m.zooLayer()).getParam(m.zooParam()));
            }
        }
    }

    private static INDArray target(ComputationGraph tl4j, ParamMapping m) {
        Layer layer = tl4j.getLayer(m.tl4jLayer());
        if (layer == null) {
            throw new IllegalArgumentException("zoo layer " + m.zooLayer() + " maps to " + m.tl4jLayer()
                    + ", which tl4j's graph does not have");
        }
        Map<String, INDArray> params = layer.paramTable();
        if (!params.containsKey(m.tl4jParam())) {
            throw new IllegalArgumentException("zoo parameter " + m.zooLayer() + "_" + m.zooParam() + " maps to "
                    + m.tl4jLayer() + "_" + m.tl4jParam() + ", which does not exist; it has " + params.keySet());
        }
        return layer.getParam(m.tl4jParam());
    }
}
