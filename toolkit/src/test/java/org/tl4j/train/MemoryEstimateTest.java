package org.tl4j.train;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.tl4j.cli.Main;
import org.tl4j.data.InvalidInputException;

class MemoryEstimateTest {

    @TempDir
    Path dir;

    /** 3x32x32 input, one 3x3 convolution to 8 channels (8x30x30), a 10-way softmax. */
    private static ComputationGraphConfiguration smallConvNet() {
        return new NeuralNetConfiguration.Builder().seed(1).graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(32, 32, 3))
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(8).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build(), "conv")
                .setOutputs("out")
                .build();
    }

    @Test
    void countsParametersUpdaterStateAndActivations() {
        MemoryEstimate training = MemoryEstimate.training(smallConvNet(), InputType.convolutional(32, 32, 3), 16, 1);
        long parameters = (3 * 3 * 3 * 8 + 8) + (8 * 30 * 30 * 10 + 10);
        assertEquals(parameters * 4 * 3, training.fixedBytes(), "parameters, gradients, one momentum copy");
        long activations = 8 * 30 * 30 + 10;
        assertTrue(training.perExampleBytes() >= activations * 4 * 3, "activation, gradient and slack per image");
        MemoryEstimate inference = MemoryEstimate.inference(smallConvNet(), InputType.convolutional(32, 32, 3), 16);
        assertTrue(inference.totalBytes() < training.totalBytes());
    }

    @Test
    void tooLargeABatchFailsWithTheEstimateAndABatchThatFits() {
        MemoryEstimate estimate = MemoryEstimate.training(smallConvNet(), InputType.convolutional(32, 32, 3), 4096, 2);
        long budget = 16L << 20;

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> estimate.requireFits(budget, "--batch"));

        int fits = estimate.largestBatchWithin(budget);
        assertTrue(fits > 0 && fits < 4096, "suggested " + fits);
        assertTrue(e.getMessage().contains("--batch 4096 needs about") && e.getMessage().contains("use --batch "
                + fits + " or less"), e.getMessage());
        MemoryEstimate suggested = new MemoryEstimate(estimate.fixedBytes(), estimate.perExampleBytes(), fits, true);
        assertDoesNotThrow(() -> suggested.requireFits(budget, "--batch"));
    }

    @Test
    void theMachineHasABudget() {
        long available = MemoryEstimate.availableNativeBytes();
        assertTrue(available > 0 && available < Long.MAX_VALUE, "budget " + available);
    }

    @Test
    void fitRefusesAnImpossibleBatchBeforeTraining() throws Exception {
        for (String label : new String[] {"a", "b"}) {
            Path folder = Files.createDirectories(dir.resolve("data").resolve(label));
            for (int i = 0; i < 10; i++) {
                BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
                image.setRGB(i % 8, 0, label.equals("a") ? 0xFF0000 : 0x00FF00);
                ImageIO.write(image, "png", folder.resolve(i + ".png").toFile());
            }
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = Main.run("fit", "--quiet", "--data", dir.resolve("data").toString(), "--model", "alexnet-small",
                    "--strategy", "scratch", "--lr", "0.01", "--batch", "2000000", "--out",
                    dir.resolve("run").toString());
        } finally {
            System.setErr(original);
        }

        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, message);
        assertTrue(message.contains("--batch 2000000 needs about") && message.contains("or less"), message);
        assertFalse(Files.exists(dir.resolve("run/model.zip")));
    }
}
