package org.tl4j.bench;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.zoo.model.ResNet50;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inference with DL4J's zoo ResNet-50 (random weights, 224 px, NCHW), through {@code ComputationGraph.output}.
 * The zoo network gives {@code res2a_branch2a} and {@code res2a_branch1} stride 2, so it does 1.11 GMAC per image
 * instead of the paper's 4.09; {@code paperStrides} sets them back to 1 (same weights count, 3.7x the work).
 */
final class ResNet50Inference implements Workload {

    /** The two convolutions where the zoo network downsamples too early. */
    private static final String[] QUIRK_LAYERS = {"res2a_branch2a", "res2a_branch1"};

    private final int batch;
    private final boolean paperStrides;
    private ComputationGraph graph;
    private INDArray input;

    ResNet50Inference(int batch, boolean paperStrides) {
        this.batch = batch;
        this.paperStrides = paperStrides;
    }

    @Override
    public String name() {
        return paperStrides ? "resnet50-paper-infer" : "resnet50-infer";
    }

    @Override
    public int batch() {
        return batch;
    }

    @Override
    public int warmupSteps() {
        return 1;
    }

    @Override
    public void prepare(long seed) {
        ResNet50 zoo = ResNet50.builder().numClasses(1000).seed(seed).inputShape(new int[] {3, 224, 224}).build();
        GraphBuilder builder = zoo.graphBuilder();
        if (paperStrides) {
            for (String name : QUIRK_LAYERS) {
                if (!(builder.getVertices().get(name) instanceof LayerVertex vertex)
                        || !(vertex.getLayerConf().getLayer() instanceof ConvolutionLayer conv)) {
                    throw new IllegalStateException("the zoo ResNet50 has no convolution '" + name
                            + "' any more; update " + ResNet50Inference.class.getSimpleName() + ".QUIRK_LAYERS");
                }
                conv.setStride(new int[] {1, 1});
            }
        }
        graph = new ComputationGraph(builder.build());
        graph.init();
        Nd4j.getRandom().setSeed(seed);
        input = Nd4j.rand(DataType.FLOAT, batch, 3, 224, 224);
    }

    @Override
    public void step() {
        graph.output(false, input);
    }
}
