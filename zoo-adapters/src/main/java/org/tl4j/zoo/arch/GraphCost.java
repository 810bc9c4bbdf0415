package org.tl4j.zoo.arch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * Per-vertex output shapes, parameter counts and multiply-adds of a graph configuration, found by DL4J's shape
 * inference alone: nothing is allocated, so a 61M-parameter AlexNet costs microseconds, not 244 MB.
 */
public final class GraphCost {

    private final List<LayerCost> layers;
    private final Map<String, LayerCost> byName;

    private GraphCost(List<LayerCost> layers) {
        this.layers = List.copyOf(layers);
        this.byName = new LinkedHashMap<>();
        for (LayerCost layer : layers) {
            byName.put(layer.name(), layer);
        }
    }

    /** The costs of every vertex of {@code conf} for inputs of type {@code input}, in topological order. */
    public static GraphCost of(ComputationGraphConfiguration conf, InputType... input) {
        Map<String, InputType> outputs = conf.getLayerActivationTypes(input);
        List<LayerCost> layers = new ArrayList<>();
        for (String name : topologicalOrder(conf)) {
            GraphVertex vertex = conf.getVertices().get(name);
            long[] shape = outputs.get(name).getShape(false);
            if (vertex instanceof LayerVertex layerVertex) {
                Layer layer = layerVertex.getLayerConf().getLayer();
                long params = layer.initializer().numParams(layer);
                long trainable = layer instanceof BatchNormalization ? params / 2 : params;
                layers.add(new LayerCost(name, layer.getClass().getSimpleName(), shape, params, trainable,
                        multiplyAdds(layer, shape)));
            } else {
                layers.add(new LayerCost(name, vertex.getClass().getSimpleName(), shape, 0, 0, 0));
            }
        }
        return new GraphCost(layers);
    }

    /** The costs of the graph an architecture builds for these options. */
    public static GraphCost of(ArchitectureBuilder builder, ArchOptions options) {
        return of(builder.configuration(options),
                InputType.convolutional(options.height(), options.width(), options.channels()));
    }

    private static long multiplyAdds(Layer layer, long[] outputShape) {
        if (layer instanceof ConvolutionLayer conv && conv.getClass() == ConvolutionLayer.class) {
            int[] kernel = conv.getKernelSize();
            long outPositions = outputShape[1] * outputShape[2];
            return outPositions * conv.getNOut() * conv.getNIn() * kernel[0] * kernel[1];
        }
        if (layer instanceof FeedForwardLayer dense && layer instanceof BaseLayer
                && !(layer instanceof ConvolutionLayer) && !(layer instanceof BatchNormalization)) {
            return dense.getNIn() * dense.getNOut();
        }
        return 0;
    }

    /**
     * Vertices after their inputs; among vertices whose inputs are done, the one added first (so a builder that
     * adds layers in reading order gets them back in that order).
     */
    private static List<String> topologicalOrder(ComputationGraphConfiguration conf) {
        Map<String, List<String>> inputs = conf.getVertexInputs();
        Map<String, Integer> index = new HashMap<>();
        for (String name : conf.getVertices().keySet()) {
            index.put(name, index.size());
        }
        Map<String, Integer> pending = new HashMap<>();
        Map<String, List<String>> consumers = new HashMap<>();
        for (String name : conf.getVertices().keySet()) {
            int fromVertices = 0;
            for (String input : inputs.getOrDefault(name, List.of())) {
                if (index.containsKey(input)) {
                    fromVertices++;
                    consumers.computeIfAbsent(input, k -> new ArrayList<>()).add(name);
                }
            }
            pending.put(name, fromVertices);
        }
        PriorityQueue<String> ready = new PriorityQueue<>(Comparator.comparing(index::get));
        pending.forEach((name, count) -> {
            if (count == 0) {
                ready.add(name);
            }
        });
        List<String> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            String name = ready.poll();
            order.add(name);
            for (String consumer : consumers.getOrDefault(name, List.of())) {
                if (pending.merge(consumer, -1, Integer::sum) == 0) {
                    ready.add(consumer);
                }
            }
        }
        return order;
    }

    /** Every vertex, inputs before the vertices that use them. */
    public List<LayerCost> layers() {
        return layers;
    }

    /** The vertex with this name. */
    public Optional<LayerCost> layer(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Parameters as DL4J stores them (what {@code ComputationGraph.numParams()} reports). */
    public long parameters() {
        return layers.stream().mapToLong(LayerCost::parameters).sum();
    }

    /** Parameters a gradient updates: the count PyTorch and the papers report. */
    public long trainableParameters() {
        return layers.stream().mapToLong(LayerCost::trainable).sum();
    }

    /** Multiply-adds of one forward pass of one example. */
    public long multiplyAdds() {
        return layers.stream().mapToLong(LayerCost::multiplyAdds).sum();
    }
}
