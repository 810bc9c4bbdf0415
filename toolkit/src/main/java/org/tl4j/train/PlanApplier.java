package org.tl4j.train;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * Turns an {@link LrPlan} into DL4J per-layer updaters: every trainable layer gets the optimizer's rule following
 * {@code schedule x multiplier} ({@link ScaledSchedule}), weight decay on its weights only, and a layer whose
 * multiplier is 0 is frozen: its parameters and BatchNorm statistics stay put and it runs in inference mode.
 *
 * <p>How a layer is frozen depends on what lies before it. When every layer upstream is frozen too (the usual
 * "freeze up to X"), DL4J's {@link FrozenLayer} is used: nothing needs gradients through it. When a training
 * layer lies upstream, {@link FrozenLayerWithBackprop} passes gradients on; DL4J 1.0.0-M2.1 cannot do that for
 * BatchNorm (its backward pass reads arrays from a closed workspace), so such a plan is refused with the fix.
 */
public final class PlanApplier {

    private PlanApplier() {
    }

    /**
     * A copy of {@code graph}, with the same parameters, configured to train by the plan.
     *
     * @throws IllegalArgumentException when the plan does not cover a layer with parameters
     */
    public static ComputationGraph apply(ComputationGraph graph, LrPlan plan, ISchedule schedule, Optimizer optimizer) {
        ComputationGraphConfiguration conf = graph.getConfiguration().clone();
        Set<String> trainingUpstream = layersWithTrainingUpstream(graph, plan);
        for (Map.Entry<String, GraphVertex> entry : conf.getVertices().entrySet()) {
            if (!(entry.getValue() instanceof LayerVertex vertex) || graph.getLayer(entry.getKey()).numParams() == 0) {
                continue;
            }
            Layer layer = vertex.getLayerConf().getLayer();
            double multiplier = plan.multiplier(entry.getKey());
            if (multiplier == 0 && !trainingUpstream.contains(entry.getKey())) {
                vertex.getLayerConf().setLayer(named(new FrozenLayer(layer), entry.getKey()));
            } else if (multiplier == 0 && layer instanceof BatchNormalization) {
                throw new org.tl4j.data.InvalidInputException("BatchNorm layer " + entry.getKey() + " is frozen but"
                        + " layers before it train, which DL4J 1.0.0-M2.1 cannot backpropagate through; freeze the"
                        + " layers before it too, or give its group a multiplier above 0");
            } else if (multiplier == 0) {
                vertex.getLayerConf().setLayer(named(new FrozenLayerWithBackprop(layer), entry.getKey()));
            } else if (layer instanceof BaseLayer base) {
                configure(base, optimizer.updater(new ScaledSchedule(schedule, multiplier)), optimizer.weightDecay());
            } else if (layer instanceof FixedStatisticsBatchNorm fixed) {
                configure((BaseLayer) fixed.getUnderlying(), optimizer.updater(new ScaledSchedule(schedule, multiplier)),
                        optimizer.weightDecay());
            } else {
                throw new IllegalArgumentException("layer " + entry.getKey() + " (" + layer.getClass().getSimpleName()
                        + ") has parameters but no updater tl4j can set");
            }
        }
        freezeParameterlessVertices(graph, plan, trainingUpstream, conf);
        ComputationGraph configured = new ComputationGraph(conf);
        configured.init(graph.params().dup(), false);
        return configured;
    }

    /**
     * The wrapper with its vertex's name. DL4J's wrappers are created without one; in memory the graph still works,
     * but the saved configuration then lacks the name and ModelSerializer cannot rebuild the graph ("inputs" is
     * null in ComputationGraph.init), which broke fit's best-weights restore and --resume with frozen groups.
     */
    private static Layer named(Layer wrapper, String name) {
        wrapper.setLayerName(name);
        return wrapper;
    }

    /**
     * Wraps the parameter-less vertices (activations, pools, sums, merges) of the frozen region in FrozenLayer or
     * FrozenVertex, as DL4J's own {@code TransferLearning.setFeatureExtractor} does: DL4J would otherwise try to
     * backpropagate through them and fail ("all epsilons not set") because the frozen layers after them send no
     * gradient back. A vertex is in the frozen region when no training layer lies upstream and a frozen one does.
     */
    private static void freezeParameterlessVertices(ComputationGraph graph, LrPlan plan, Set<String> trainingUpstream,
                                                    ComputationGraphConfiguration conf) {
        Map<String, List<String>> inputs = graph.getConfiguration().getVertexInputs();
        Set<String> frozenUpstream = new HashSet<>();
        for (int index : graph.topologicalSortOrder()) {
            String name = graph.getVertices()[index].getVertexName();
            for (String input : inputs.getOrDefault(name, List.of())) {
                boolean inputFrozen = graph.getVertex(input) != null && graph.getVertex(input).hasLayer()
                        && graph.getLayer(input).numParams() > 0 && plan.frozen(input);
                if (inputFrozen || frozenUpstream.contains(input)) {
                    frozenUpstream.add(name);
                    break;
                }
            }
        }
        for (Map.Entry<String, GraphVertex> entry : conf.getVertices().entrySet()) {
            String name = entry.getKey();
            boolean parameterless = !graph.getVertex(name).hasLayer() || graph.getLayer(name).numParams() == 0;
            if (!parameterless || trainingUpstream.contains(name) || !frozenUpstream.contains(name)
                    || graph.getVertex(name).isOutputVertex()) {
                continue;
            }
            if (entry.getValue() instanceof LayerVertex vertex) {
                vertex.getLayerConf().setLayer(named(new FrozenLayer(vertex.getLayerConf().getLayer()), name));
            } else {
                entry.setValue(new org.deeplearning4j.nn.conf.graph.FrozenVertex(entry.getValue()));
            }
        }
    }

    /** Layers that have a layer with a non-zero multiplier somewhere upstream. */
    private static Set<String> layersWithTrainingUpstream(ComputationGraph graph, LrPlan plan) {
        Map<String, List<String>> inputs = graph.getConfiguration().getVertexInputs();
        Set<String> result = new HashSet<>();
        // Topological order: a vertex's inputs are decided before the vertex.
        for (int index : graph.topologicalSortOrder()) {
            String name = graph.getVertices()[index].getVertexName();
            for (String input : inputs.getOrDefault(name, List.of())) {
                boolean inputTrains = graph.getVertex(input) != null && graph.getVertex(input).hasLayer()
                        && graph.getLayer(input).numParams() > 0 && !plan.frozen(input);
                if (inputTrains || result.contains(input)) {
                    result.add(name);
                    break;
                }
            }
        }
        return result;
    }

    private static void configure(BaseLayer layer, org.nd4j.linalg.learning.config.IUpdater updater, double weightDecay) {
        layer.setIUpdater(updater);
        layer.setBiasUpdater(updater.clone());
        boolean decays = weightDecay > 0 && !(layer instanceof BatchNormalization);
        List<Regularization> decay = decays ? List.of(new WeightDecay(weightDecay, true)) : List.of();
        layer.setRegularization(decay);
        layer.setRegularizationBias(List.of());
    }
}
