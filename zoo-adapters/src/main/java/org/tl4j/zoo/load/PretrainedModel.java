package org.tl4j.zoo.load;

import java.util.Objects;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.tl4j.zoo.spec.AdapterSpec;
import org.tl4j.zoo.spec.WeightSource;
import org.tl4j.zoo.weights.CachedWeights;

/**
 * An adapter's graph, with the adapter's layer names, holding pretrained weights, and how they got there.
 *
 * @param spec          the adapter
 * @param graph         the graph built from the adapter's architecture, weights copied in
 * @param source        the weight source used
 * @param weights       the verified file the weights came from (for ONNX: its converted DL4J zip)
 * @param layersCopied  how many parameterised layers were copied
 * @param checkRelError relative difference between the weights' own graph and the adapter's graph on a seeded
 *                      random input (the load fails above {@link AdapterLoader#MAX_CHECK_ERROR})
 */
public record PretrainedModel(AdapterSpec spec, ComputationGraph graph, WeightSource source, CachedWeights weights,
                              int layersCopied, double checkRelError) {

    public PretrainedModel {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(graph, "graph");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(weights, "weights");
    }
}
