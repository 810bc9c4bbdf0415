package org.tl4j.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.tl4j.zoo.arch.Architectures;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;

/** The converted network computes the same function at the training size and a score map at a larger size. */
class FcToConvTest {

    @Test
    void alexnetSmallIsUnchangedAtItsSizeAndGivesA3x3MapAtTwiceTheSize() {
        // 128x128: conv1 (11, stride 4, pad 2) 31, pool1 15, pool2 7, pool5 3; fc6 reads pool5's 1x1 at 64x64,
        // so it becomes a 1x1 convolution and the map is 3x3.
        checkEquivalentAndMap("alexnet-small", 3);
    }

    @Test
    void resnet50SmallHeadOfGlobalPoolingAndDenseSlides() {
        // 64x64: the last stage is 2x2 where it was 1x1 at 32x32; the 1x1 average window gives a 2x2 map.
        checkEquivalentAndMap("resnet50-small", 2);
    }

    @Test
    void googlenetSmallHeadOfGlobalPoolingAndDenseSlides() {
        checkEquivalentAndMap("googlenet-small", 2);
    }

    @Test
    void fullSizeAlexnetWithItsSixBySixDenseLayerIsUnchanged() {
        // BVLC AlexNet: fc6 reads pool5's 256x6x6 (9216 values): it becomes a 6x6 convolution with 4096 filters.
        AdapterSpec spec = AdapterRegistry.builtIn().get("alexnet.imagenet");
        ComputationGraph original = Architectures.build(spec, 11);
        InputType input = Architectures.inputType(spec);
        ComputationGraph converted = FcToConv.convert(original, input);
        INDArray image = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 3, spec.input().height(),
                spec.input().width()).muli(2).subi(1);
        assertSame(original, converted, image);
    }

    private static void checkEquivalentAndMap(String id, int expectedMap) {
        AdapterSpec spec = AdapterRegistry.builtIn().get(id);
        ComputationGraph original = Architectures.build(spec, 7);
        ComputationGraph converted = FcToConv.convert(original, Architectures.inputType(spec));
        int h = spec.input().height();
        int w = spec.input().width();
        INDArray images = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 3, h, w).muli(2).subi(1);
        assertSame(original, converted, images);

        INDArray large = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 3, 2 * h, 2 * w);
        INDArray map = converted.outputSingle(large);
        long classes = original.outputSingle(images).size(1);
        assertArrayEquals(new long[] {1, classes, expectedMap, expectedMap}, map.shape());
        // Softmax per location: the class scores at every position sum to one.
        INDArray sums = map.sum(1);
        assertTrue(sums.sub(1).amaxNumber().doubleValue() < 1e-4, "per-location sums " + sums);
    }

    private static void assertSame(ComputationGraph original, ComputationGraph converted, INDArray images) {
        INDArray expected = original.outputSingle(images);
        INDArray map = converted.outputSingle(images);
        assertArrayEquals(new long[] {expected.size(0), expected.size(1), 1, 1}, map.shape());
        INDArray actual = map.reshape(expected.size(0), expected.size(1));
        double diff = actual.sub(expected).amaxNumber().doubleValue();
        assertTrue(diff < 1e-5, "max abs difference " + diff);
        // Not vacuous: the scores differ between classes (a constant output would match anything).
        assertTrue(expected.maxNumber().doubleValue() - expected.minNumber().doubleValue() > 1e-6);
    }
}
