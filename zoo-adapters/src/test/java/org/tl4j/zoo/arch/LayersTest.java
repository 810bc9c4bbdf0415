package org.tl4j.zoo.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LayersTest {

    @Test
    void lrnComputesCaffesFormula() {
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().graphBuilder()
                .addInputs("in")
                .addLayer("lrn", Layers.caffeLrn(), "in")
                .addLayer("out", new OutputLayer.Builder().nOut(2).build(), "lrn")
                .setOutputs("out")
                .setInputTypes(InputType.convolutional(1, 1, 5))
                .build());
        graph.init();
        INDArray input = Nd4j.valueArrayOf(new long[] {1, 5, 1, 1}, 100.0, DataType.FLOAT);
        INDArray lrn = graph.feedForward(input, false).get("lrn");
        // Caffe, middle channel: 100 / (1 + 1e-4 / 5 * 5 * 100^2)^0.75 = 100 / 2^0.75.
        assertEquals(100 / Math.pow(2, 0.75), lrn.getDouble(0, 2, 0, 0), 1e-3);
    }
}
