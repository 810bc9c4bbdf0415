package org.tl4j.zoo.arch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tl4j.zoo.arch.ResNet50Test.shape;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

class GoogLeNetTest {

    private static final GoogLeNet GOOGLENET = new GoogLeNet();

    @Test
    void bvlcVariantHasTheParameterCountOfBvlcsPrototxt() {
        GraphCost cost = GraphCost.of(GOOGLENET, ArchOptions.imagenet(224, "bvlc"));
        // BVLC/caffe models/bvlc_googlenet/deploy.prototxt (commit 9b89154): summing num_output * C_in * k * k
        // + num_output over its Convolution and InnerProduct layers, with C_in propagated through the net
        // (src/test/resources/reference/reference_counts.py) gives 6,998,552 parameters and 1,582,671,872
        // multiply-adds at 224x224 (Caffe's pools round up).
        assertEquals(6_998_552L, cost.trainableParameters());
        assertEquals(6_998_552L, cost.parameters(), "no BatchNorm, so DL4J stores the same number");
        assertEquals(1_582_671_872L, cost.multiplyAdds());
    }

    @Test
    void torchvisionVariantHasTorchvisionsParameterCount() {
        GraphCost cost = GraphCost.of(GOOGLENET, ArchOptions.imagenet(224, "torchvision"));
        // torchvision 0.14 googlenet(aux_logits=False): 6,624,904 parameters, 14,560 BatchNorm running-stat
        // values, 1,498,376,192 Conv2d/Linear multiply-adds at 224x224 (same script).
        assertEquals(6_624_904L, cost.trainableParameters());
        assertEquals(6_624_904L + 14_560L, cost.parameters());
        assertEquals(1_498_376_192L, cost.multiplyAdds());
    }

    @Test
    void nineInceptionModulesWithThePapersOutputWidths() {
        GraphCost cost = GraphCost.of(GOOGLENET, ArchOptions.imagenet(224, "bvlc"));
        String[] modules = {"3a", "3b", "4a", "4b", "4c", "4d", "4e", "5a", "5b"};
        long[] channels = {256, 480, 512, 512, 512, 528, 832, 832, 1024};
        long[] size = {28, 28, 14, 14, 14, 14, 14, 7, 7};
        for (int i = 0; i < modules.length; i++) {
            assertArrayEquals(new long[] {channels[i], size[i], size[i]},
                    shape(cost, "inception_" + modules[i] + "_output"), modules[i]);
        }
        assertArrayEquals(new long[] {64, 56, 56}, shape(cost, "pool1_norm1"));
        assertArrayEquals(new long[] {1024}, shape(cost, "pool5_7x7_s1"));
        assertArrayEquals(new long[] {1000}, shape(cost, "loss3_classifier"));
    }

    @Test
    void torchvisionVariantHasBatchNormAndNoLrn() {
        GraphCost cost = GraphCost.of(GOOGLENET, ArchOptions.imagenet(224, "torchvision"));
        assertTrue(cost.layer("inception_3a_3x3_reduce_bn").isPresent());
        assertFalse(cost.layer("pool1_norm1").isPresent());
        assertEquals("BatchNormalization", cost.layer("conv1_7x7_s2_bn").orElseThrow().kind());
    }

    @Test
    void builtGraphHoldsExactlyTheCountedParameters() {
        ComputationGraph graph = GOOGLENET.build(ArchOptions.imagenet(224, "bvlc"));
        assertEquals(6_998_552L, graph.numParams());
    }
}
