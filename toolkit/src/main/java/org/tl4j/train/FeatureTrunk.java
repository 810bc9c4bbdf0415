package org.tl4j.train;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.tl4j.data.InvalidInputException;
import org.tl4j.zoo.spec.AdapterSpec;

/**
 * The frozen part of a network: a graph read up to a cut layer, in inference mode (BatchNorm uses its running
 * statistics, dropout is off). Gives one row per image: the cut layer's activation flattened in C order, or, when
 * asked, globally average-pooled over height and width. Counts the images it has processed, so callers (and tests)
 * can see when the trunk actually ran.
 */
public final class FeatureTrunk {

    /** How the activation at the cut is computed. */
    public enum Mode {
        /**
         * {@code graph.output(List.of(cut), false, input, null)} on the whole graph: DL4J runs the vertices up to the
         * cut. (Not {@code feedForward(input, layerTillIndex, false)}: in DL4J 1.0.0-M2.1 it compares a vertex index
         * with a position in the topological order, which varies between builds of the same graph, so it returned
         * maps without the cut, or the cut after the next layer's in-place ReLU; FeatureCacheTest caught both.)
         */
        LAYER_OUTPUT,
        /** A copy of the graph with everything after the cut removed, its output being the cut. */
        SUB_GRAPH
    }

    private final ComputationGraph graph;
    private final String cut;
    private final boolean pooled;
    private final Mode mode;
    private final ComputationGraph subGraph;
    private final org.tl4j.infer.InferenceEngine engine;
    private final AtomicLong images = new AtomicLong();

    /**
     * @param graph  the full graph (not modified)
     * @param cut    name of the vertex whose output is the feature
     * @param pooled whether to average 4-d activations over height and width
     * @param mode   how to compute the activation
     * @throws InvalidInputException when the graph has no such vertex
     */
    public FeatureTrunk(ComputationGraph graph, String cut, boolean pooled, Mode mode) {
        this.graph = Objects.requireNonNull(graph, "graph");
        this.cut = Objects.requireNonNull(cut, "cut");
        this.pooled = pooled;
        this.mode = Objects.requireNonNull(mode, "mode");
        GraphVertex vertex = graph.getVertex(cut);
        if (vertex == null) {
            throw new InvalidInputException("the graph has no layer '" + cut + "': name a tap of the adapter or a"
                    + " layer of its graph (see ./tl4j zoo info)");
        }
        if (graph.getConfiguration().getNetworkOutputs().contains(cut)) {
            throw new InvalidInputException("'" + cut + "' is the network's output layer: cut at a layer before"
                    + " the classifier");
        }
        this.subGraph = mode == Mode.SUB_GRAPH ? subGraphEndingAt(graph, cut) : null;
        this.engine = null;
    }

    private FeatureTrunk(FeatureTrunk base, org.tl4j.infer.InferenceEngine engine) {
        this.graph = base.graph;
        this.cut = base.cut;
        this.pooled = base.pooled;
        this.mode = base.mode;
        this.subGraph = base.subGraph;
        this.engine = engine;
    }

    /**
     * This trunk with its activations computed by {@code engine} (e.g. ONNX Runtime from
     * {@code org.tl4j.infer.Engines}), which must have been opened on this graph and cut; its output is pooled here
     * when it is still 4-d. The shape probe ({@link #rawRowShape}) still runs in DL4J.
     */
    public FeatureTrunk withEngine(org.tl4j.infer.InferenceEngine engine) {
        return new FeatureTrunk(this, Objects.requireNonNull(engine, "engine"));
    }

    /** The engine name: the one given to {@link #withEngine}, else {@code nd4j}. */
    public String engineName() {
        return engine == null ? org.tl4j.infer.Nd4jEngine.NAME : engine.name();
    }

    /**
     * The adapter's layer for a tap name, or the name itself when it is no tap (a layer name).
     */
    public static String resolveCut(AdapterSpec spec, String tapOrLayer) {
        if (tapOrLayer == null) {
            return spec.defaultTapSpec().layer();
        }
        return spec.tap(tapOrLayer).map(t -> t.layer()).orElse(tapOrLayer);
    }

    /** The cut layer. */
    public String cut() {
        return cut;
    }

    /** Whether activations are pooled. */
    public boolean pooled() {
        return pooled;
    }

    /** How activations are computed. */
    public Mode mode() {
        return mode;
    }

    /** Images run through the trunk so far. */
    public long imagesProcessed() {
        return images.get();
    }

    /**
     * The cut layer's activation for a batch of images: [n, C, H, W] (or [n, C] when pooled) for a
     * convolutional cut, [n, d] for a dense one. Detached from any workspace.
     */
    public INDArray activations(INDArray input) {
        INDArray out;
        // Copied at once (into memory no workspace owns): a test saw a BatchNorm cut's value differ between the
        // modes now and then, only when other tests had run in the same JVM, as if a buffer were reused later.
        if (engine != null) {
            out = engine.run(input);
        } else if (mode == Mode.SUB_GRAPH) {
            out = subGraph.outputSingle(false, input).dup();
        } else {
            out = graph.output(List.of(cut), false, new INDArray[] {input}, null)[0].dup();
        }
        if (pooled && out.rank() == 4) {
            out = out.mean(2, 3);
        } else if (pooled && out.rank() == 3) {
            out = out.mean(2);
        }
        images.addAndGet(input.size(0));
        return out;
    }

    /**
     * Shape of one image's activation at the cut before pooling ([C, H, W] for a convolutional cut), found by
     * running one blank image (not counted in {@link #imagesProcessed()}).
     */
    public long[] rawRowShape(org.tl4j.zoo.spec.InputSpec input) {
        INDArray blank = org.nd4j.linalg.factory.Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1,
                input.channels(), input.height(), input.width());
        INDArray out = mode == Mode.SUB_GRAPH ? subGraph.outputSingle(false, blank)
                : graph.output(List.of(cut), false, new INDArray[] {blank}, null)[0];
        return java.util.Arrays.copyOfRange(out.shape(), 1, out.rank());
    }

    /** Names of the vertices the cut does not depend on (those a sub-graph ending at the cut drops). */
    static Set<String> verticesAfter(ComputationGraph graph, String cut) {
        Map<String, List<String>> inputsOf = graph.getConfiguration().getVertexInputs();
        Set<String> needed = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(cut));
        while (!todo.isEmpty()) {
            String v = todo.pop();
            if (needed.add(v)) {
                todo.addAll(inputsOf.getOrDefault(v, List.of()));
            }
        }
        Set<String> after = new HashSet<>(graph.getConfiguration().getVertices().keySet());
        after.removeAll(needed);
        return after;
    }

    /** A graph sharing nothing with {@code graph}, computing the vertices up to the cut and having it as output. */
    static ComputationGraph subGraphEndingAt(ComputationGraph graph, String cut) {
        TransferLearning.GraphBuilder builder = new TransferLearning.GraphBuilder(graph.clone())
                .validateOutputLayerConfig(false);
        for (String v : verticesAfter(graph, cut)) {
            builder.removeVertexAndConnections(v);
        }
        return builder.setOutputs(cut).build();
    }
}
