package org.tl4j.zoo.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Small torchvision-built models (ResNet bottlenecks with grouped convolutions, GoogLeNet's Inception block with
 * ceil-mode pooling, an AlexNet-like net with LRN, padded average pooling and softmax), exported by PyTorch with
 * random weights, imported and run in DL4J: outputs must match PyTorch's within {@value #TOLERANCE} relative
 * error, with the same top-1 class for every input. {@code zoo_style_small} is written as the ONNX model zoo's
 * Caffe-born files are (opset 8, initializers among the inputs, unnamed nodes, asymmetric max-pool pads, Sum,
 * Reshape to [1, -1]); its reference comes from torch.nn.functional. The full-size models are checked in
 * src-test.
 */
class OnnxParityTest {

    static final double TOLERANCE = 1e-4;

    @ParameterizedTest
    @ValueSource(strings = {"resnet_small", "googlenet_small", "alexnet_small", "zoo_style_small"})
    void smallTorchvisionModelMatchesPyTorch(String model) throws IOException, InterruptedException {
        Path dir = TorchFixtures.small().resolve(model);
        ImportedModel imported = OnnxImporter.importGraph(dir.resolve("model.onnx"));
        INDArray input = OnnxTensors.read(dir.resolve("test_data_set_0/input_0.pb"));
        INDArray expected = OnnxTensors.read(dir.resolve("test_data_set_0/output_0.pb"));

        INDArray actual = imported.output(input)[0];

        Parity parity = Parity.of(actual, expected);
        System.out.println(model + ": " + parity);
        assertTrue(parity.relative() < TOLERANCE, model + ": " + parity);
        assertArrayEquals(top1(expected), top1(actual), model + ": top-1 classes differ from PyTorch's");
        assertEquals(1, imported.inputs().size(), "initializers listed among the inputs are not inputs");
    }

    static long[] top1(INDArray logits) {
        return Arrays.stream(logits.argMax(1).toLongVector()).toArray();
    }
}
