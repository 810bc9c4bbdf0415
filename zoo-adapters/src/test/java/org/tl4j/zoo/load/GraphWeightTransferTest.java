package org.tl4j.zoo.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.tl4j.zoo.arch.Architectures;
import org.tl4j.zoo.spec.AdapterRegistry;

class GraphWeightTransferTest {

    private static final INDArray INPUT = Nd4j.getRandomFactory().getNewRandomInstance(3).nextDouble(new long[] {2, 3, 32, 32});

    @Test
    void copyBetweenTwoInitialisationsOfOneAdapterReproducesTheOutputs() {
        var spec = AdapterRegistry.builtIn().get("resnet50-small");
        ComputationGraph trained = Architectures.build(spec, 1);
        ComputationGraph fresh = Architectures.build(spec, 2);
        assertNotEquals(trained.outputSingle(INPUT), fresh.outputSingle(INPUT));

        List<GraphWeightTransfer.Pair> pairs = GraphWeightTransfer.copy(trained, fresh);

        assertEquals(trained.outputSingle(INPUT), fresh.outputSingle(INPUT));
        assertEquals("fc1000", pairs.get(pairs.size() - 1).toLayer());
        assertEquals(trained.numParams(), pairs.stream().mapToLong(GraphWeightTransfer.Pair::parameters).sum());
    }

    /**
     * The files' graphs name layers their own way and order a sum's operands as they please; the residual branch
     * and the projection shortcut here have the same parameter shapes, so only the structure can pair them.
     */
    @Test
    void pairsByStructureWhateverTheNamesAndTheOrderOfASumsOperands() {
        ComputationGraph exported = residual(new String[] {"n1", "n2", "n3", "n4", "n5", "n6"}, false, 11);
        ComputationGraph adapter = residual(new String[] {"conv1", "bn1", "branch2", "bn2", "branch1", "fc"}, true, 12);

        GraphWeightTransfer.copy(exported, adapter);

        INDArray x = Nd4j.getRandomFactory().getNewRandomInstance(5).nextDouble(new long[] {2, 4, 8, 8});
        INDArray expected = exported.outputSingle(x);
        double relative = adapter.outputSingle(x).sub(expected).amaxNumber().doubleValue()
                / expected.amaxNumber().doubleValue();
        assertTrue(relative < 1e-5, "relative difference " + relative);
    }

    @Test
    void aDifferentNetworkIsRefusedNamingTheMismatch() {
        ComputationGraph resnet = Architectures.build(AdapterRegistry.builtIn().get("resnet50-small"), 1);
        ComputationGraph googlenet = Architectures.build(AdapterRegistry.builtIn().get("googlenet-small"), 1);
        WeightTransferException e = assertThrows(WeightTransferException.class,
                () -> GraphWeightTransfer.copy(resnet, googlenet));
        assertTrue(e.getMessage().contains("not the same network") || e.getMessage().contains("differ"), e.getMessage());
    }

    /**
     * conv -> bn -> [conv -> bn] + [conv (projection)] -> pool -> dense (linear, so no softmax hides differences);
     * names[4] is the projection. With
     * {@code projectionFirst} the sum lists the shortcut first, as some exporters do.
     */
    private static ComputationGraph residual(String[] names, boolean projectionFirst, long seed) {
        GraphBuilder g = new NeuralNetConfiguration.Builder().seed(seed).graphBuilder()
                .addInputs("in").setInputTypes(InputType.convolutional(8, 8, 4))
                .addLayer(names[0], conv(), "in")
                .addLayer(names[1], new BatchNormalization.Builder().eps(projectionFirst ? 1e-3 : 1e-4).build(), names[0])
                .addLayer(names[2], conv(), names[1])
                .addLayer(names[3], new BatchNormalization.Builder().eps(1e-3).useLogStd(!projectionFirst).build(), names[2])
                .addLayer(names[4], conv(), names[1]);
        String[] operands = projectionFirst ? new String[] {names[4], names[3]} : new String[] {names[3], names[4]};
        g.addVertex("sum", new ElementWiseVertex(ElementWiseVertex.Op.Add), operands)
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "sum")
                .addLayer(names[5], new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(3)
                        .activation(Activation.IDENTITY).build(), "pool")
                .setOutputs(names[5]);
        ComputationGraph graph = new ComputationGraph(g.build());
        graph.init();
        // Small variances next to eps, different eps and both storage forms: the conversion must keep var + eps.
        for (String bn : new String[] {names[1], names[3]}) {
            graph.getLayer(bn).paramTable().forEach((key, value) -> {
                if (!key.equals("gamma") && !key.equals("beta")) {
                    value.assign(key.equals("mean") ? Nd4j.rand(value.shape())
                            : key.equals("var") ? Nd4j.rand(value.shape()).mul(0.01).add(0.002)
                            : Nd4j.rand(value.shape()).mul(0.5).sub(1.5));
                }
            });
        }
        return graph;
    }

    private static ConvolutionLayer conv() {
        return new ConvolutionLayer.Builder(1, 1).nOut(4).activation(Activation.IDENTITY).build();
    }
}
