package org.tl4j.zoo.arch;

import java.util.Arrays;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** The few layer shapes the builders share, so each builder reads like its paper's table. */
final class Layers {

    /** Name of every graph's single input. */
    static final String INPUT = "input";

    private Layers() {
    }

    /** A graph builder with tl4j's defaults: He initialisation, seeded, one input of the given size. */
    static GraphBuilder graph(ArchOptions options) {
        return new NeuralNetConfiguration.Builder()
                .seed(options.seed())
                .weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Truncate)
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.convolutional(options.height(), options.width(), options.channels()));
    }

    /** Square convolution with explicit padding; ReLU or identity; with or without bias. */
    static ConvolutionLayer conv(int kernel, int stride, int pad, int nOut, boolean relu, boolean bias) {
        return new ConvolutionLayer.Builder(kernel, kernel)
                .stride(stride, stride)
                .padding(pad, pad)
                .nOut(nOut)
                .hasBias(bias)
                .activation(relu ? Activation.RELU : Activation.IDENTITY)
                .build();
    }

    static BatchNormalization batchNorm(double eps) {
        return new BatchNormalization.Builder().eps(eps).build();
    }

    static ActivationLayer relu() {
        return new ActivationLayer.Builder().activation(Activation.RELU).build();
    }

    /** Pooling with explicit padding, rounding the output size down (torchvision's default). */
    static SubsamplingLayer pool(PoolingType type, int kernel, int stride, int pad) {
        return new SubsamplingLayer.Builder(type)
                .kernelSize(kernel, kernel)
                .stride(stride, stride)
                .padding(pad, pad)
                .build();
    }

    /**
     * Pooling that rounds the output size up, like Caffe and torchvision's {@code ceil_mode=True}. DL4J has no
     * ceil mode; its "Same" mode gives ceil(in / stride), which equals Caffe's ceil((in - k) / s) + 1 for
     * k = 3, s = 2 and every even input size (all sizes GoogLeNet meets at 224, 64 or 32 px input), and for
     * k = 3, s = 1 with padding 1.
     */
    static SubsamplingLayer poolCeil(PoolingType type, int kernel, int stride) {
        return new SubsamplingLayer.Builder(type)
                .kernelSize(kernel, kernel)
                .stride(stride, stride)
                .convolutionMode(ConvolutionMode.Same)
                .build();
    }

    /**
     * Caffe's LRN as BVLC's AlexNet and GoogLeNet use it: b_i = a_i / (1 + alpha/n * sum of a_j^2 over n = 5
     * neighbouring channels)^0.75 with alpha = 1e-4. Caffe divides alpha by n, DL4J does not, so DL4J gets
     * alpha / n (checked numerically in LayersTest).
     */
    static LocalResponseNormalization caffeLrn() {
        return new LocalResponseNormalization.Builder().k(1).n(5).alpha(1e-4 / 5).beta(0.75).build();
    }

    /** The softmax classifier. */
    static OutputLayer classifier(int classes, double dropOutRetain) {
        OutputLayer.Builder builder = new OutputLayer.Builder(LossFunction.MCXENT)
                .nOut(classes)
                .activation(Activation.SOFTMAX)
                .weightInit(WeightInit.XAVIER);
        if (dropOutRetain < 1) {
            builder.dropOut(dropOutRetain);
        }
        return builder.build();
    }

    /**
     * Builds the configuration and checks that every activation has a positive size: DL4J's shape inference
     * accepts a pool whose output would be 0x0, so an input that is too small is caught here, by name.
     */
    static ComputationGraphConfiguration build(GraphBuilder graph, String architecture, ArchOptions options) {
        String problem;
        try {
            ComputationGraphConfiguration conf = graph.build();
            problem = firstEmptyActivation(conf, options);
            if (problem == null) {
                return conf;
            }
        } catch (RuntimeException e) {
            problem = e.getMessage();
        }
        throw new IllegalArgumentException(architecture + " cannot take a " + options.height() + "x"
                + options.width() + " input at width " + options.widthMultiplier() + ": " + problem
                + " (use a larger input size)");
    }

    private static String firstEmptyActivation(ComputationGraphConfiguration conf, ArchOptions options) {
        InputType input = InputType.convolutional(options.height(), options.width(), options.channels());
        for (Map.Entry<String, InputType> e : conf.getLayerActivationTypes(input).entrySet()) {
            long[] shape = e.getValue().getShape(false);
            if (Arrays.stream(shape).anyMatch(d -> d < 1)) {
                return "layer " + e.getKey() + " would have output size " + Arrays.toString(shape);
            }
        }
        return null;
    }
}
