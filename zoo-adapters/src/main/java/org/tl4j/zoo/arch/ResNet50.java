package org.tl4j.zoo.arch;

import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;

/**
 * ResNet-50 as in He et al. 2015, "Deep Residual Learning for Image Recognition" (arXiv:1512.03385), Table 1,
 * with the layer names of the authors' Caffe release (KaimingHe/deep-residual-networks, ResNet-50-deploy.prototxt):
 * {@code conv1, bn_conv1, pool1, res2a_branch2a, bn2a_branch2a, ..., res2a (the sum), pool5, fc1000}.
 *
 * <p>Bottleneck blocks [3, 4, 6, 3] (1x1, 3x3, 1x1 with 4x expansion); a projection shortcut ({@code branch1})
 * in the first block of each stage, where the shape changes; stride 2 in the first block of stages 3 to 5 only;
 * global average pooling; FC-1000. Where the stride sits is the variant:
 * <ul>
 *   <li>{@code caffe}: on the first 1x1 convolution ({@code branch2a}), as in the paper's Caffe release and the
 *       weights derived from it (Keras, DL4J's zoo, the ONNX model zoo's resnet50-v1);</li>
 *   <li>{@code torchvision}: on the 3x3 convolution ({@code branch2b}), "ResNet v1.5", as torchvision's weights.</li>
 * </ul>
 * Both have the same parameter shapes but compute different functions, so weights must go to their own variant. Convolutions have no bias
 * (BatchNorm follows each). tl4j-specific vertex names: {@code *_relu} for the ReLUs that Caffe applies in place.
 *
 * <p>Parameters: 25,557,032 trainable (torchvision's {@code resnet50()} count), plus 53,120 BatchNorm running
 * statistics that DL4J stores as parameters (mean and log10 std), 25,610,152 in DL4J's count.
 *
 * <p>Unlike DL4J's zoo {@code ResNet50} (stride 2 already in res2a, biases on every convolution, and a 3x3 max
 * pool named "avgpool" before the classifier), this is the paper's network; {@link ResNet50ZooMapping} carries the
 * zoo's weights over.
 */
public final class ResNet50 implements ArchitectureBuilder {

    /** Blocks per stage, stages 2 to 5. */
    static final int[] BLOCKS = {3, 4, 6, 3};
    /** Bottleneck width of stages 2 to 5; the block output is 4 times this. */
    static final int[] WIDTHS = {64, 128, 256, 512};
    static final int EXPANSION = 4;
    static final double BN_EPS = 1e-5;
    /** Stride on the first 1x1 convolution of a downsampling block (the paper's Caffe release). */
    public static final String CAFFE = "caffe";
    /** Stride on the 3x3 convolution of a downsampling block (torchvision, "v1.5"). */
    public static final String TORCHVISION = "torchvision";

    @Override
    public String name() {
        return "resnet50";
    }

    @Override
    public List<String> variants() {
        return List.of(CAFFE, TORCHVISION);
    }

    @Override
    public ComputationGraphConfiguration configuration(ArchOptions options) {
        checkVariant(options);
        GraphBuilder g = Layers.graph(options);
        g.addLayer("conv1", Layers.conv(7, 2, 3, options.scale(64), false, false), Layers.INPUT)
                .addLayer("bn_conv1", Layers.batchNorm(BN_EPS), "conv1")
                .addLayer("conv1_relu", Layers.relu(), "bn_conv1")
                .addLayer("pool1", Layers.pool(PoolingType.MAX, 3, 2, 1), "conv1_relu");
        String previous = "pool1";
        for (int stage = 0; stage < BLOCKS.length; stage++) {
            for (int block = 0; block < BLOCKS[stage]; block++) {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                previous = bottleneck(g, options, stage + 2, (char) ('a' + block), previous, WIDTHS[stage], stride,
                        block == 0, CAFFE.equals(options.variant()));
            }
        }
        g.addLayer("pool5", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), previous)
                .addLayer("fc1000", Layers.classifier(options.classes(), 1.0), "pool5")
                .setOutputs("fc1000");
        return Layers.build(g, name(), options);
    }

    /** One bottleneck block; returns the name of its output (after the ReLU that follows the sum). */
    private static String bottleneck(GraphBuilder g, ArchOptions options, int stage, char block, String input,
                                     int width, int stride, boolean projection, boolean strideOnFirst1x1) {
        String res = "res" + stage + block;
        String bn = "bn" + stage + block;
        int inner = options.scale(width);
        int out = options.scale(width * EXPANSION);
        int strideA = strideOnFirst1x1 ? stride : 1;
        int strideB = strideOnFirst1x1 ? 1 : stride;
        g.addLayer(res + "_branch2a", Layers.conv(1, strideA, 0, inner, false, false), input)
                .addLayer(bn + "_branch2a", Layers.batchNorm(BN_EPS), res + "_branch2a")
                .addLayer(res + "_branch2a_relu", Layers.relu(), bn + "_branch2a")
                .addLayer(res + "_branch2b", Layers.conv(3, strideB, 1, inner, false, false), res + "_branch2a_relu")
                .addLayer(bn + "_branch2b", Layers.batchNorm(BN_EPS), res + "_branch2b")
                .addLayer(res + "_branch2b_relu", Layers.relu(), bn + "_branch2b")
                .addLayer(res + "_branch2c", Layers.conv(1, 1, 0, out, false, false), res + "_branch2b_relu")
                .addLayer(bn + "_branch2c", Layers.batchNorm(BN_EPS), res + "_branch2c");
        String shortcut = input;
        if (projection) {
            g.addLayer(res + "_branch1", Layers.conv(1, stride, 0, out, false, false), input)
                    .addLayer(bn + "_branch1", Layers.batchNorm(BN_EPS), res + "_branch1");
            shortcut = bn + "_branch1";
        }
        g.addVertex(res, new ElementWiseVertex(ElementWiseVertex.Op.Add), bn + "_branch2c", shortcut)
                .addLayer(res + "_relu", Layers.relu(), res);
        return res + "_relu";
    }
}
