package org.tl4j.zoo.arch;

import org.tl4j.zoo.graph.ChannelSubsetVertex;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.nd4j.linalg.activations.Activation;

/**
 * AlexNet, Krizhevsky et al. 2012, with the layer names of the Caffe releases: {@code conv1 ... conv5, pool1,
 * pool2, pool5, fc6, fc7, fc8} (ReLUs are part of the convolution and dense layers, as Caffe's in-place ReLUs).
 *
 * <p>Variants:
 * <ul>
 *   <li>{@code bvlc}: BVLC's release (models/bvlc_alexnet/deploy.prototxt): 96-256-384-384-256 filters, 11x11
 *       stride 4 without padding on a 227x227 input, LRN ({@code norm1, norm2}) before pool1 and pool2, and
 *       two groups in conv2, conv4 and conv5. DL4J has no grouped convolution, so each grouped layer is two
 *       convolutions on the two halves of the channels ({@code conv2_split1/2} then {@code conv2_group1/2}) whose
 *       outputs are concatenated into a vertex named {@code conv2}; Caffe's conv2 weight [256, 48, 5, 5] is
 *       conv2_group1's [128, 48, 5, 5] followed by conv2_group2's. FC 4096-4096-1000, dropout 0.5 before fc7 and
 *       fc8. 60,965,224 parameters (from the prototxt's layer shapes, Caffe commit 9b89154).</li>
 *   <li>{@code torchvision}: torchvision's {@code alexnet()}: 64-192-384-256-256 filters, padding 2 in conv1,
 *       no LRN, no groups, dropout before fc6 and fc7; 61,100,840 parameters (torchvision 0.14). torchvision's
 *       adaptive 6x6 average pool before fc6 is not modelled: at 224x224 it is the identity; at other sizes fc6
 *       takes pool5's C*H*W values.</li>
 * </ul>
 * Pools round down (torchvision); Caffe rounds up, which gives the same sizes at 227 (55, 27, 13, 6).
 */
public final class AlexNet implements ArchitectureBuilder {

    static final String BVLC = "bvlc";
    static final String TORCHVISION = "torchvision";

    @Override
    public String name() {
        return "alexnet";
    }

    @Override
    public List<String> variants() {
        return List.of(BVLC, TORCHVISION);
    }

    @Override
    public ComputationGraphConfiguration configuration(ArchOptions options) {
        boolean bvlc = BVLC.equals(checkVariant(options));
        GraphBuilder g = Layers.graph(options);
        if (bvlc) {
            int c1 = options.scale(96, 2);
            int c2 = options.scale(256, 2);
            int c3 = options.scale(384, 2);
            int c4 = options.scale(384, 2);
            g.addLayer("conv1", Layers.conv(11, 4, 0, c1, true, true), Layers.INPUT)
                    .addLayer("norm1", Layers.caffeLrn(), "conv1")
                    .addLayer("pool1", Layers.pool(PoolingType.MAX, 3, 2, 0), "norm1");
            grouped(g, "conv2", 5, 2, c1, c2, "pool1");
            g.addLayer("norm2", Layers.caffeLrn(), "conv2")
                    .addLayer("pool2", Layers.pool(PoolingType.MAX, 3, 2, 0), "norm2")
                    .addLayer("conv3", Layers.conv(3, 1, 1, c3, true, true), "pool2");
            grouped(g, "conv4", 3, 1, c3, c4, "conv3");
            grouped(g, "conv5", 3, 1, c4, options.scale(256, 2), "conv4");
        } else {
            g.addLayer("conv1", Layers.conv(11, 4, 2, options.scale(64), true, true), Layers.INPUT)
                    .addLayer("pool1", Layers.pool(PoolingType.MAX, 3, 2, 0), "conv1")
                    .addLayer("conv2", Layers.conv(5, 1, 2, options.scale(192), true, true), "pool1")
                    .addLayer("pool2", Layers.pool(PoolingType.MAX, 3, 2, 0), "conv2")
                    .addLayer("conv3", Layers.conv(3, 1, 1, options.scale(384), true, true), "pool2")
                    .addLayer("conv4", Layers.conv(3, 1, 1, options.scale(256), true, true), "conv3")
                    .addLayer("conv5", Layers.conv(3, 1, 1, options.scale(256), true, true), "conv4");
        }
        int hidden = options.scale(4096);
        // DL4J applies a layer's dropout to its input: BVLC drops fc6's and fc7's outputs, torchvision pool5's and fc6's.
        g.addLayer("pool5", Layers.pool(PoolingType.MAX, 3, 2, 0), "conv5")
                .addLayer("fc6", dense(hidden, bvlc ? 1.0 : 0.5), "pool5")
                .addLayer("fc7", dense(hidden, 0.5), "fc6")
                .addLayer("fc8", Layers.classifier(options.classes(), bvlc ? 0.5 : 1.0), "fc7")
                .setOutputs("fc8");
        return Layers.build(g, name(), options);
    }

    /** A convolution split into two groups, as Caffe's {@code group: 2}; the concatenated output is named {@code name}. */
    private static void grouped(GraphBuilder g, String name, int kernel, int pad, int inChannels, int outChannels,
                                String input) {
        int half = inChannels / 2;
        g.addVertex(name + "_split1", new ChannelSubsetVertex(0, half - 1), input)
                .addVertex(name + "_split2", new ChannelSubsetVertex(half, inChannels - 1), input)
                .addLayer(name + "_group1", Layers.conv(kernel, 1, pad, outChannels / 2, true, true), name + "_split1")
                .addLayer(name + "_group2", Layers.conv(kernel, 1, pad, outChannels / 2, true, true), name + "_split2")
                .addVertex(name, new MergeVertex(), name + "_group1", name + "_group2");
    }

    private static DenseLayer dense(int nOut, double dropOutRetain) {
        DenseLayer.Builder builder = new DenseLayer.Builder().nOut(nOut).activation(Activation.RELU);
        if (dropOutRetain < 1) {
            builder.dropOut(dropOutRetain);
        }
        return builder.build();
    }

}
