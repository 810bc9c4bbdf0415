package org.tl4j.zoo.arch;

import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;

/**
 * GoogLeNet / Inception v1, Szegedy et al. 2014, "Going Deeper with Convolutions" (arXiv:1409.4842), Table 1,
 * with the layer names of BVLC's Caffe release (models/bvlc_googlenet/deploy.prototxt), '/' written as '_'
 * ({@link LayerNames}): {@code conv1_7x7_s2, pool1_3x3_s2, ..., inception_3a_1x1, inception_3a_3x3_reduce,
 * inception_3a_3x3, inception_3a_5x5_reduce, inception_3a_5x5, inception_3a_pool, inception_3a_pool_proj,
 * inception_3a_output, ..., pool5_7x7_s1, loss3_classifier}. Nine inception modules, global average pooling,
 * dropout, FC-1000; no auxiliary classifiers (they only serve training).
 *
 * <p>Variants:
 * <ul>
 *   <li>{@code bvlc}: convolutions with bias and ReLU, LRN after pool1 and conv2, dropout 0.4;
 *       6,998,552 parameters, counted from the layer shapes of BVLC's deploy.prototxt (Caffe commit 9b89154).</li>
 *   <li>{@code torchvision}: torchvision's {@code googlenet(aux_logits=False)}: every convolution without bias,
 *       followed by BatchNorm (eps 0.001, {@code NAME_bn}) and ReLU ({@code NAME_relu}); no LRN; pool4 is 2x2;
 *       dropout 0.2; and, as in torchvision (kept there for its weights), the "5x5" branch uses a 3x3 kernel.
 *       6,624,904 trainable parameters (counted with torchvision 0.14's definition) plus 14,560 BatchNorm
 *       running statistics that DL4J stores as parameters, 6,639,464 in DL4J's count.</li>
 * </ul>
 *
 * <p>Caffe's pools round up; see {@link Layers#poolCeil}. Caffe's LRN divides alpha by the window size,
 * DL4J's does not, so DL4J gets alpha = 1e-4 / 5.
 */
public final class GoogLeNet implements ArchitectureBuilder {

    /** Per module: 1x1, 3x3 reduce, 3x3, 5x5 reduce, 5x5, pool projection (Szegedy et al., Table 1). */
    static final int[][] MODULES = {
            {64, 96, 128, 16, 32, 32},      // 3a
            {128, 128, 192, 32, 96, 64},    // 3b
            {192, 96, 208, 16, 48, 64},     // 4a
            {160, 112, 224, 24, 64, 64},    // 4b
            {128, 128, 256, 24, 64, 64},    // 4c
            {112, 144, 288, 32, 64, 64},    // 4d
            {256, 160, 320, 32, 128, 128},  // 4e
            {256, 160, 320, 32, 128, 128},  // 5a
            {384, 192, 384, 48, 128, 128},  // 5b
    };
    static final String[] MODULE_NAMES = {"3a", "3b", "4a", "4b", "4c", "4d", "4e", "5a", "5b"};

    static final String BVLC = "bvlc";
    static final String TORCHVISION = "torchvision";

    @Override
    public String name() {
        return "googlenet";
    }

    @Override
    public List<String> variants() {
        return List.of(BVLC, TORCHVISION);
    }

    @Override
    public ComputationGraphConfiguration configuration(ArchOptions options) {
        boolean bn = TORCHVISION.equals(checkVariant(options));
        Convs convs = new Convs(Layers.graph(options), bn);
        GraphBuilder g = convs.graph;
        String x = convs.add("conv1/7x7_s2", 7, 2, 3, options.scale(64), Layers.INPUT);
        g.addLayer("pool1_3x3_s2", Layers.poolCeil(PoolingType.MAX, 3, 2), x);
        x = "pool1_3x3_s2";
        if (!bn) {
            g.addLayer("pool1_norm1", Layers.caffeLrn(), x);
            x = "pool1_norm1";
        }
        x = convs.add("conv2/3x3_reduce", 1, 1, 0, options.scale(64), x);
        x = convs.add("conv2/3x3", 3, 1, 1, options.scale(192), x);
        if (!bn) {
            g.addLayer("conv2_norm2", Layers.caffeLrn(), x);
            x = "conv2_norm2";
        }
        g.addLayer("pool2_3x3_s2", Layers.poolCeil(PoolingType.MAX, 3, 2), x);
        x = "pool2_3x3_s2";
        for (int m = 0; m < MODULES.length; m++) {
            x = inception(convs, options, "inception_" + MODULE_NAMES[m], MODULES[m], x);
            if (MODULE_NAMES[m].equals("3b")) {
                g.addLayer("pool3_3x3_s2", Layers.poolCeil(PoolingType.MAX, 3, 2), x);
                x = "pool3_3x3_s2";
            } else if (MODULE_NAMES[m].equals("4e")) {
                int kernel = bn ? 2 : 3;
                g.addLayer("pool4_3x3_s2", Layers.poolCeil(PoolingType.MAX, kernel, 2), x);
                x = "pool4_3x3_s2";
            }
        }
        g.addLayer("pool5_7x7_s1", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), x)
                .addLayer("loss3_classifier", Layers.classifier(options.classes(), bn ? 0.8 : 0.6), "pool5_7x7_s1")
                .setOutputs("loss3_classifier");
        return Layers.build(g, name(), options);
    }

    private static String inception(Convs convs, ArchOptions options, String module, int[] sizes, String input) {
        int fiveKernel = convs.batchNorm ? 3 : 5;
        String b1 = convs.add(module + "/1x1", 1, 1, 0, options.scale(sizes[0]), input);
        String b2 = convs.add(module + "/3x3_reduce", 1, 1, 0, options.scale(sizes[1]), input);
        b2 = convs.add(module + "/3x3", 3, 1, 1, options.scale(sizes[2]), b2);
        String b3 = convs.add(module + "/5x5_reduce", 1, 1, 0, options.scale(sizes[3]), input);
        b3 = convs.add(module + "/5x5", fiveKernel, 1, fiveKernel / 2, options.scale(sizes[4]), b3);
        String pool = LayerNames.of(module + "/pool");
        convs.graph.addLayer(pool, Layers.pool(PoolingType.MAX, 3, 1, 1), input);
        String b4 = convs.add(module + "/pool_proj", 1, 1, 0, options.scale(sizes[5]), pool);
        String output = LayerNames.of(module + "/output");
        convs.graph.addVertex(output, new MergeVertex(), b1, b2, b3, b4);
        return output;
    }


    /** Adds convolutions in the variant's style: with bias and ReLU, or without bias + BatchNorm + ReLU. */
    private static final class Convs {
        final GraphBuilder graph;
        final boolean batchNorm;

        Convs(GraphBuilder graph, boolean batchNorm) {
            this.graph = graph;
            this.batchNorm = batchNorm;
        }

        /** Adds the convolution with the published name; returns the name of its (ReLU) output. */
        String add(String publishedName, int kernel, int stride, int pad, int nOut, String input) {
            String name = LayerNames.of(publishedName);
            if (!batchNorm) {
                graph.addLayer(name, Layers.conv(kernel, stride, pad, nOut, true, true), input);
                return name;
            }
            graph.addLayer(name, Layers.conv(kernel, stride, pad, nOut, false, false), input)
                    .addLayer(name + "_bn", Layers.batchNorm(1e-3), name)
                    .addLayer(name + "_relu", Layers.relu(), name + "_bn");
            return name + "_relu";
        }
    }
}
