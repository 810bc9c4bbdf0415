package org.tl4j.zoo.weights;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** A 4-3-2 graph small enough to build, save and restore in milliseconds; weights depend only on the seed. */
final class TinyGraphs {

    private TinyGraphs() {
    }

    static ComputationGraph build(long seed) {
        ComputationGraphConfiguration configuration = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .graphBuilder()
                .addInputs("in")
                .addLayer("dense", new DenseLayer.Builder().nIn(4).nOut(3).activation(Activation.RELU).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(3).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "dense")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(configuration);
        graph.init();
        return graph;
    }
}
