package org.tl4j.zoo.arch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;

class GraphCostTest {

    /** input 3x8x8 -> a: conv 3x3 (pad 1) 4 -> bn -> b: conv 1x1 2 (from input) -> merge 6x8x8 -> pool -> fc 5. */
    private static ComputationGraphConfiguration tinyGraph() {
        return new NeuralNetConfiguration.Builder().graphBuilder()
                .addInputs("in")
                .addLayer("b", new ConvolutionLayer.Builder(1, 1).nOut(2).build(), "in")
                .addLayer("a", new ConvolutionLayer.Builder(3, 3).padding(1, 1).nOut(4).build(), "in")
                .addLayer("bn", new BatchNormalization.Builder().build(), "a")
                .addVertex("merge", new MergeVertex(), "bn", "b")
                .addLayer("pool", new GlobalPoolingLayer.Builder().build(), "merge")
                .addLayer("fc", new OutputLayer.Builder().nOut(5).build(), "pool")
                .setOutputs("fc")
                .setInputTypes(InputType.convolutional(8, 8, 3))
                .build();
    }

    @Test
    void countsByHand() {
        GraphCost cost = GraphCost.of(tinyGraph(), InputType.convolutional(8, 8, 3));
        // a: 4*3*3*3 weights + 4 biases; per output position 3*3*3 MACs per filter: 8*8*4*27 = 6912.
        LayerCost a = cost.layer("a").orElseThrow();
        assertEquals(112, a.parameters());
        assertEquals(6_912, a.multiplyAdds());
        // b: 2*3 + 2 parameters, 8*8*2*3 = 384 MACs.
        assertEquals(384, cost.layer("b").orElseThrow().multiplyAdds());
        // bn: gamma, beta (trainable) and mean, var (DL4J parameters): 4 each.
        assertEquals(16, cost.layer("bn").orElseThrow().parameters());
        assertEquals(8, cost.layer("bn").orElseThrow().trainable());
        assertArrayEquals(new long[] {6, 8, 8}, cost.layer("merge").orElseThrow().outputShape());
        // fc: 6*5 + 5 parameters, 30 MACs.
        assertEquals(35, cost.layer("fc").orElseThrow().parameters());
        assertEquals(112 + 8 + 16 + 35, cost.parameters());
        assertEquals(112 + 8 + 8 + 35, cost.trainableParameters());
        assertEquals(6_912 + 384 + 30, cost.multiplyAdds());
    }

    @Test
    void layersComeInTheOrderTheyWereAddedWhenThatOrderIsTopological() {
        GraphCost cost = GraphCost.of(tinyGraph(), InputType.convolutional(8, 8, 3));
        assertEquals(List.of("b", "a", "bn", "merge", "pool", "fc"),
                cost.layers().stream().map(LayerCost::name).toList());
    }
}
