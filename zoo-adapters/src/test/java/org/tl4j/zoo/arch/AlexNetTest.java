package org.tl4j.zoo.arch;

import org.tl4j.zoo.graph.ChannelSubsetVertex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tl4j.zoo.arch.ResNet50Test.shape;

import org.deeplearning4j.nn.graph.ComputationGraph;
import java.nio.file.Path;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class AlexNetTest {

    private static final AlexNet ALEXNET = new AlexNet();

    @Test
    void bvlcVariantHasTheParameterCountOfBvlcsPrototxt() {
        GraphCost cost = GraphCost.of(ALEXNET, ArchOptions.imagenet(227, "bvlc"));
        // BVLC/caffe models/bvlc_alexnet/deploy.prototxt (commit 9b89154), groups counted as C_in / group:
        // 60,965,224 parameters, 724,406,816 multiply-adds at 227x227 (src/test/resources/reference).
        assertEquals(60_965_224L, cost.trainableParameters());
        assertEquals(60_965_224L, cost.parameters());
        assertEquals(724_406_816L, cost.multiplyAdds());
        assertArrayEquals(new long[] {96, 55, 55}, shape(cost, "conv1"));
        assertArrayEquals(new long[] {256, 27, 27}, shape(cost, "conv2"));
        assertArrayEquals(new long[] {128, 27, 27}, shape(cost, "conv2_group1"));
        assertArrayEquals(new long[] {256, 6, 6}, shape(cost, "pool5"));
        assertArrayEquals(new long[] {4096}, shape(cost, "fc7"));
    }

    @Test
    void torchvisionVariantHasTorchvisionsParameterCount() {
        GraphCost cost = GraphCost.of(ALEXNET, ArchOptions.imagenet(224, "torchvision"));
        // torchvision 0.14 alexnet(): 61,100,840 parameters, 714,188,480 Conv2d/Linear multiply-adds at 224x224.
        assertEquals(61_100_840L, cost.trainableParameters());
        assertEquals(714_188_480L, cost.multiplyAdds());
        assertArrayEquals(new long[] {64, 55, 55}, shape(cost, "conv1"));
        assertArrayEquals(new long[] {256, 6, 6}, shape(cost, "pool5"));
    }

    @Test
    void builtGroupedGraphHoldsTheCountedParametersAndRunsForward() {
        ComputationGraph graph = ALEXNET.build(ArchOptions.imagenet(227, "bvlc"));
        assertEquals(60_965_224L, graph.numParams());
        // One forward pass checks that the grouped convolutions' channel split and merge really fit together.
        INDArray out = graph.outputSingle(Nd4j.rand(new int[] {1, 3, 227, 227}));
        assertArrayEquals(new long[] {1, 1000}, out.shape());
        assertEquals(1.0, out.sumNumber().doubleValue(), 1e-4, "softmax output");
    }

    @Test
    void groupedGraphSurvivesSavingAndRestoring(@TempDir Path dir) throws Exception {
        ComputationGraph graph = ALEXNET.build(new ArchOptions(96, 96, 3, 0.25, 10, "bvlc", 7));
        Path file = dir.resolve("alexnet.zip");
        ModelSerializer.writeModel(graph, file.toFile(), false);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file.toFile(), false);
        INDArray input = Nd4j.rand(new int[] {2, 3, 96, 96});
        assertEquals(graph.outputSingle(input), restored.outputSingle(input));
        assertTrue(restored.getConfiguration().getVertices().get("conv2_split1") instanceof ChannelSubsetVertex);
    }

    @Test
    void inputTooSmallIsRefusedNamingTheSize() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ALEXNET.configuration(ArchOptions.imagenet(32, "torchvision")));
        assertTrue(e.getMessage().contains("32x32"), e.getMessage());
    }
}
