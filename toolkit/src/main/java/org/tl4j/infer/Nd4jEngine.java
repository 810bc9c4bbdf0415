package org.tl4j.infer;

import java.util.List;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/** DL4J/ND4J inference: {@code ComputationGraph.output} in inference mode, up to the cut. */
public final class Nd4jEngine implements InferenceEngine {

    public static final String NAME = "nd4j";

    private final ComputationGraph graph;
    private final String cut;
    private final boolean pooled;

    public Nd4jEngine(InferenceModel model) {
        this.graph = model.graph();
        this.cut = model.cut();
        this.pooled = model.pooled();
        if (cut != null && graph.getVertex(cut) == null) {
            throw new org.tl4j.data.InvalidInputException(model.name() + " has no layer '" + cut + "': name a tap"
                    + " (./tl4j zoo info ID) or a layer of the graph");
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public INDArray run(INDArray batch) {
        INDArray out = cut == null ? graph.output(false, batch)[0]
                : graph.output(List.of(cut), false, new INDArray[] {batch}, null)[0];
        out = out.dup(); // detached from DL4J's workspaces
        return pooled && out.rank() == 4 ? out.mean(2, 3) : out;
    }

    @Override
    public void close() {
        // The graph belongs to the caller.
    }
}
