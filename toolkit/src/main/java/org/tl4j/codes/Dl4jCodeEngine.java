package org.tl4j.codes;

import java.util.Objects;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.tl4j.train.FeatureTrunk;

/** {@link CodeEngine} on a DL4J graph, through the featurize cache's {@link FeatureTrunk} (unpooled). */
public final class Dl4jCodeEngine implements CodeEngine {

    private final FeatureTrunk trunk;
    private final String weightsSha256;

    /**
     * @param graph         the network (not modified)
     * @param layer         the vertex to read
     * @param weightsSha256 identifies the weights (a weight file's SHA-256, or
     *                      {@link org.tl4j.train.FeatureCacheKey#weightsHash})
     */
    public Dl4jCodeEngine(ComputationGraph graph, String layer, String weightsSha256) {
        this.trunk = new FeatureTrunk(graph, layer, false, FeatureTrunk.Mode.LAYER_OUTPUT);
        this.weightsSha256 = Objects.requireNonNull(weightsSha256, "weightsSha256");
    }

    @Override
    public INDArray activations(INDArray images) {
        return trunk.activations(images);
    }

    @Override
    public String layer() {
        return trunk.cut();
    }

    @Override
    public String weightsSha256() {
        return weightsSha256;
    }

    /** Images run so far. */
    public long imagesProcessed() {
        return trunk.imagesProcessed();
    }
}
