package org.tl4j.bench.engines;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.tl4j.train.BatchNormFolding;
import org.tl4j.train.LrPlan;
import org.tl4j.train.Optimizer;
import org.tl4j.train.PlanApplier;
import org.tl4j.zoo.arch.Architectures;

/**
 * tl4j's own path: the adapter's DL4J graph, trained through {@link PlanApplier} with tl4j's default optimizer
 * (Nesterov momentum 0.9, weight decay 1e-4) at a fixed rate of 0.01, every layer (multiplier 1) or the head only
 * (every other layer 0, hence DL4J's FrozenLayer); inference through {@code ComputationGraph.output}.
 */
final class Tl4jEngine implements BenchEngine {

    static final double RATE = 0.01;

    private final Tl4jVariant variant;
    private final Map<String, ComputationGraph> bases = new HashMap<>();
    private final Map<String, Map<Workload, ComputationGraph>> graphs = new HashMap<>();
    private final Map<String, ModelUnderTest> models = new HashMap<>();

    Tl4jEngine(Tl4jVariant variant) {
        this.variant = variant;
    }

    @Override
    public String name() {
        return variant.engineName();
    }

    @Override
    public boolean supports(Workload workload) {
        return true;
    }

    @Override
    public void prepare(ModelUnderTest model) {
        bases.put(model.name(), variant.build(() -> Architectures.build(model.spec(), model.seed())));
        graphs.put(model.name(), new EnumMap<>(Workload.class));
        models.put(model.name(), model);
    }

    /**
     * The graph for a workload, built on its first use (untimed): a full-size network takes seconds to initialise,
     * so only the workloads asked for are built.
     */
    private ComputationGraph graph(ModelUnderTest model, Workload workload) {
        return graphs.get(model.name()).computeIfAbsent(workload, w -> variant.build(() -> {
            ComputationGraph base = bases.get(model.name());
            String head = model.spec().head().layer();
            ComputationGraph frozenBase = variant.foldBatchNorm() && w != Workload.TRAIN_ALL
                    ? BatchNormFolding.fold(base, name -> !name.equals(head)).graph() : base;
            return withWorkspaces(switch (w) {
                case INFER -> frozenBase;
                case TRAIN_HEAD -> PlanApplier.apply(frozenBase, plan(frozenBase, head, true),
                        new FixedSchedule(RATE), Optimizer.DEFAULT);
                case TRAIN_ALL -> PlanApplier.apply(base, plan(base, head, false), new FixedSchedule(RATE),
                        Optimizer.DEFAULT);
            });
        }));
    }

    /** Multiplier 1 for every layer with parameters, or 1 for the head and 0 (frozen) for the rest. */
    private static LrPlan plan(ComputationGraph graph, String head, boolean headOnly) {
        Map<String, Double> multipliers = new LinkedHashMap<>();
        for (org.deeplearning4j.nn.api.Layer layer : graph.getLayers()) {
            if (layer.numParams() > 0) {
                String name = layer.conf().getLayer().getLayerName();
                multipliers.put(name, !headOnly || name.equals(head) ? 1.0 : 0.0);
            }
        }
        if (!multipliers.containsKey(head)) {
            throw new IllegalStateException("the graph has no layer '" + head + "' with parameters (the adapter's"
                    + " head); layers: " + multipliers.keySet());
        }
        return new LrPlan(RATE, List.of(), multipliers);
    }

    private ComputationGraph withWorkspaces(ComputationGraph graph) {
        if (graph.getConfiguration().getTrainingWorkspaceMode() == variant.workspaceMode()
                && graph.getConfiguration().getInferenceWorkspaceMode() == variant.workspaceMode()) {
            return graph;
        }
        ComputationGraphConfiguration conf = graph.getConfiguration().clone();
        conf.setTrainingWorkspaceMode(variant.workspaceMode());
        conf.setInferenceWorkspaceMode(variant.workspaceMode());
        ComputationGraph copy = new ComputationGraph(conf);
        copy.init(graph.params().dup(), false);
        return copy;
    }

    @Override
    public Timing time(Cell cell, int warmup, int steps) {
        ModelUnderTest model = models.get(cell.model());
        ComputationGraph graph = graph(model, cell.workload());
        Nd4j.getRandom().setSeed(model.seed());
        INDArray x = Nd4j.rand(DataType.FLOAT, cell.batch(), 3, model.size(), model.size());
        int classes = model.spec().head().classes();
        INDArray y = Nd4j.zeros(DataType.FLOAT, cell.batch(), classes);
        for (int i = 0; i < cell.batch(); i++) {
            y.putScalar(i, (i * 7919L) % classes, 1f);
        }
        DataSet data = new DataSet(x, y);
        Runnable step = cell.workload() == Workload.INFER ? () -> graph.output(false, x) : () -> graph.fit(data);
        // ND4J frees off-heap buffers only when the garbage collector finds their Java owners dead, and a 4 GB heap
        // seldom fills: without this, resident memory grew cell after cell to 16 GB at 112 px and the kernel's
        // OOM killer ended the run. Collecting between cells keeps each cell's peak its own.
        System.gc();
        ProcessMemory.resetPeak();
        for (int i = 0; i < warmup; i++) {
            step.run();
        }
        List<Double> seconds = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            long t0 = System.nanoTime();
            step.run();
            seconds.add((System.nanoTime() - t0) / 1e9);
        }
        return new Timing(seconds, ProcessMemory.peakMb());
    }

    @Override
    public void release(String model) {
        bases.remove(model);
        graphs.remove(model);
        models.remove(model);
        System.gc(); // the graphs' parameters live off-heap; collecting their Java owners frees them
    }

    @Override
    public void close() {
        bases.clear();
        graphs.clear();
    }
}
