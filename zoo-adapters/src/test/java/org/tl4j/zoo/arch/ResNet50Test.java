package org.tl4j.zoo.arch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

class ResNet50Test {

    private static final ResNet50 RESNET = new ResNet50();
    private static final ArchOptions FULL = ArchOptions.imagenet(224, "torchvision");

    @Test
    void fullSizeHasTorchvisionsParameterCountAndDl4jStoresBatchNormStatisticsOnTop() {
        GraphCost cost = GraphCost.of(RESNET, FULL);
        // torchvision 0.14: sum(p.numel() for p in resnet50().parameters()) == 25,557,032; its BatchNorm
        // running_mean/running_var buffers hold 53,120 more values, which DL4J keeps as parameters.
        assertEquals(25_557_032L, cost.trainableParameters());
        assertEquals(25_557_032L + 53_120L, cost.parameters());
        // torchvision resnet50 at 224x224: 4,089,184,256 multiply-adds in Conv2d and Linear (forward hooks,
        // out.numel() * in_channels/groups * kh * kw, and in_features * out_features).
        assertEquals(4_089_184_256L, cost.multiplyAdds());
    }

    @Test
    void stagesHaveThePapersSizesWithStrideTwoOnTheThreeByThreeOfStagesThreeToFive() {
        GraphCost cost = GraphCost.of(RESNET, FULL);
        assertArrayEquals(new long[] {64, 112, 112}, shape(cost, "conv1"));
        assertArrayEquals(new long[] {64, 56, 56}, shape(cost, "pool1"));
        assertArrayEquals(new long[] {256, 56, 56}, shape(cost, "res2c_relu"));
        assertArrayEquals(new long[] {128, 56, 56}, shape(cost, "res3a_branch2a"));
        assertArrayEquals(new long[] {128, 28, 28}, shape(cost, "res3a_branch2b"));
        assertArrayEquals(new long[] {512, 28, 28}, shape(cost, "res3d_relu"));
        assertArrayEquals(new long[] {1024, 14, 14}, shape(cost, "res4f_relu"));
        assertArrayEquals(new long[] {2048, 7, 7}, shape(cost, "res5c_relu"));
        assertArrayEquals(new long[] {2048}, shape(cost, "pool5"));
        assertArrayEquals(new long[] {1000}, shape(cost, "fc1000"));

        ComputationGraphConfiguration conf = RESNET.configuration(FULL);
        assertArrayEquals(new int[] {1, 1}, conv(conf, "res2a_branch2b").getStride(), "no stride in stage 2");
        assertArrayEquals(new int[] {1, 1}, conv(conf, "res3a_branch2a").getStride());
        assertArrayEquals(new int[] {2, 2}, conv(conf, "res3a_branch2b").getStride());
        assertArrayEquals(new int[] {2, 2}, conv(conf, "res3a_branch1").getStride());
        assertTrue(conf.getVertices().containsKey("res4f_branch2c") && !conf.getVertices().containsKey("res4g_branch2c"),
                "stage 4 has six blocks");
        assertTrue(!conf.getVertices().containsKey("res2b_branch1"), "projection only where the shape changes");
        GlobalPoolingLayer pool = (GlobalPoolingLayer) ((LayerVertex) conf.getVertices().get("pool5")).getLayerConf().getLayer();
        assertEquals(PoolingType.AVG, pool.getPoolingType());
    }

    @Test
    void caffeVariantPutsTheStrideOnTheFirstOneByOneWithTheSameParameters() {
        ArchOptions caffe = ArchOptions.imagenet(224, ResNet50.CAFFE);
        ComputationGraphConfiguration conf = RESNET.configuration(caffe);
        assertArrayEquals(new int[] {2, 2}, conv(conf, "res3a_branch2a").getStride());
        assertArrayEquals(new int[] {1, 1}, conv(conf, "res3a_branch2b").getStride());
        assertArrayEquals(new int[] {2, 2}, conv(conf, "res3a_branch1").getStride());
        assertArrayEquals(new int[] {1, 1}, conv(conf, "res2a_branch2a").getStride(), "no stride in stage 2");
        GraphCost cost = GraphCost.of(RESNET, caffe);
        assertEquals(25_557_032L, cost.trainableParameters());
        assertArrayEquals(new long[] {128, 28, 28}, shape(cost, "res3a_branch2a"));
        assertArrayEquals(new long[] {2048, 7, 7}, shape(cost, "res5c_relu"));
        // The 3x3 of each downsampling block runs at the lower resolution: fewer multiply-adds than v1.5
        // (the paper quotes 3.8 GFLOPs, counting multiply-adds, against torchvision's 4.1).
        assertTrue(cost.multiplyAdds() < 3_900_000_000L && cost.multiplyAdds() > 3_800_000_000L,
                "multiply-adds " + cost.multiplyAdds());
    }

    @Test
    void builtGraphHoldsExactlyTheCountedParameters() {
        ComputationGraph graph = RESNET.build(FULL);
        assertEquals(25_610_152L, graph.numParams());
    }

    @Test
    void widthMultiplierAndInputSizeMakeASmallTrainableVersion() {
        ArchOptions small = FULL.scaled(32, 0.25);
        GraphCost cost = GraphCost.of(RESNET, small);
        assertArrayEquals(new long[] {16, 16, 16}, shape(cost, "conv1"));
        assertArrayEquals(new long[] {512}, shape(cost, "pool5"));
        assertTrue(cost.trainableParameters() < 2_000_000, "quarter width has about 1/16 of the parameters");
    }

    @Test
    void unknownVariantIsRefusedNamingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RESNET.configuration(ArchOptions.imagenet(224, "v2")));
        assertTrue(e.getMessage().contains("torchvision") && e.getMessage().contains("caffe"), e.getMessage());
    }

    static long[] shape(GraphCost cost, String layer) {
        return cost.layer(layer).orElseThrow(() -> new AssertionError("no layer " + layer)).outputShape();
    }

    private static ConvolutionLayer conv(ComputationGraphConfiguration conf, String name) {
        return (ConvolutionLayer) ((LayerVertex) conf.getVertices().get(name)).getLayerConf().getLayer();
    }
}
