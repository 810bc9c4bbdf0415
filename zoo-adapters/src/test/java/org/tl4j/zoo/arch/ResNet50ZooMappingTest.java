package org.tl4j.zoo.arch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.zoo.model.ResNet50;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.tl4j.zoo.arch.ResNet50ZooMapping.Kind;
import org.tl4j.zoo.arch.ResNet50ZooMapping.ParamMapping;

/**
 * Checks the mapping on a randomly initialised DL4J zoo ResNet50 (no download): every zoo parameter reaches a
 * tl4j parameter of the same shape, every tl4j parameter receives exactly one copied zoo value, and the folded
 * convolution biases give the same stem activations as the zoo's biased convolutions.
 */
class ResNet50ZooMappingTest {

    private static ComputationGraph zoo;
    private static ComputationGraph tl4j;
    private static List<ParamMapping> mapping;

    @BeforeAll
    static void buildBothGraphsOnce() {
        zoo = ResNet50.builder().numClasses(1000).seed(1).build().init();
        // Random values everywhere, BatchNorm statistics and convolution biases included, so that a bias that
        // was dropped or folded the wrong way shows in the activations.
        Nd4j.getRandom().setSeed(3);
        for (Layer layer : zoo.getLayers()) {
            for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
                INDArray random = Nd4j.rand(DataType.FLOAT, p.getValue().shape()).subi(0.5);
                layer.setParam(p.getKey(), p.getKey().equals("W") ? random.muli(0.1) : random);
            }
        }
        tl4j = new org.tl4j.zoo.arch.ResNet50().build(ArchOptions.imagenet(224, "torchvision"));
        mapping = ResNet50ZooMapping.mapping(zoo);
        ResNet50ZooMapping.copy(zoo, tl4j);
    }

    @Test
    void everyZooParameterLandsInASameShapedTl4jParameter() {
        assertEquals(zoo.paramTable().size(), mapping.size(), "one mapping per zoo parameter");
        for (ParamMapping m : mapping) {
            INDArray source = zoo.getLayer(m.zooLayer()).getParam(m.zooParam());
            INDArray target = tl4j.getLayer(m.tl4jLayer()).getParam(m.tl4jParam());
            assertArrayEquals(source.shape(), target.shape(), m.toString());
        }
        // The zoo's only extra parameters are its 53 convolution biases (26,560 values).
        long folded = mapping.stream().filter(m -> m.kind() == Kind.SUBTRACT_FROM_MEAN).count();
        assertEquals(53, folded);
        assertEquals(zoo.numParams() - 26_560L, tl4j.numParams());
    }

    @Test
    void everyTl4jParameterReceivesExactlyOneCopiedZooParameter() {
        Set<String> targets = new HashSet<>();
        for (ParamMapping m : mapping) {
            if (m.kind() == Kind.COPY) {
                assertTrue(targets.add(m.tl4jLayer() + "_" + m.tl4jParam()), "copied twice: " + m);
            }
        }
        assertEquals(tl4j.paramTable().keySet(), targets);
    }

    @Test
    void copiedValuesAreTheZoosAndBiasesAreFoldedIntoTheRunningMeans() {
        assertEquals(zoo.getLayer("res4c_branch2b").getParam("W"), tl4j.getLayer("res4c_branch2b").getParam("W"));
        assertEquals(zoo.getLayer("output").getParam("b"), tl4j.getLayer("fc1000").getParam("b"));
        INDArray expectedMean = zoo.getLayer("bn5a_branch1").getParam("mean")
                .sub(zoo.getLayer("res5a_branch1").getParam("b"));
        assertEquals(expectedMean, tl4j.getLayer("bn5a_branch1").getParam("mean"));
        assertFalse(tl4j.getLayer("res5a_branch1").paramTable().containsKey("b"), "tl4j convolutions have no bias");
    }

    @Test
    void stemComputesTheSameActivationsAsTheZoosBiasedConvolution() {
        // Up to the first BatchNorm both graphs compute the same function (the zoo pads explicitly, tl4j in the
        // convolution); the zoo's stride and pooling differ after that, so this is where outputs can be compared.
        INDArray image = Nd4j.rand(DataType.FLOAT, 1, 3, 224, 224);
        INDArray zooStem = zoo.feedForward(image, false).get("stem-batch1");
        INDArray tl4jStem = tl4j.feedForward(image, false).get("bn_conv1");
        assertArrayEquals(zooStem.shape(), tl4jStem.shape());
        double scale = zooStem.norm2Number().doubleValue();
        double difference = zooStem.sub(tl4jStem).norm2Number().doubleValue();
        assertTrue(difference <= 1e-4 * scale, "stem differs by " + difference + " (norm " + scale + ")");
    }
}
