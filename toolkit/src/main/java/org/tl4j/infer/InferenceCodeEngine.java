package org.tl4j.infer;

import java.util.Objects;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.tl4j.codes.CodeEngine;

/**
 * An {@link InferenceEngine} as the {@link CodeEngine} of {@code org.tl4j.codes.CnnCodes}: pass it to
 * {@code CnnCodes.engine(...)} so CNN codes are computed on ONNX Runtime. The engine must read {@code layer}
 * unpooled (CnnCodes pools), e.g. {@code Engines.open(choice, InferenceModel.ofGraph(id, graph, chw, layer, false),
 * firstBatch)}.
 */
public final class InferenceCodeEngine implements CodeEngine {

    private final InferenceEngine engine;
    private final String layer;
    private final String weightsSha256;

    /**
     * @param engine        reads {@code layer}, unpooled
     * @param layer         the vertex read
     * @param weightsSha256 identifies the weights (part of the codes cache key; the engines agree within 1e-4)
     */
    public InferenceCodeEngine(InferenceEngine engine, String layer, String weightsSha256) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.layer = Objects.requireNonNull(layer, "layer");
        this.weightsSha256 = Objects.requireNonNull(weightsSha256, "weightsSha256");
    }

    @Override
    public INDArray activations(INDArray images) {
        return engine.run(images);
    }

    @Override
    public String layer() {
        return layer;
    }

    @Override
    public String weightsSha256() {
        return weightsSha256;
    }
}
