package org.tl4j.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.tl4j.zoo.arch.Architectures;
import java.util.Optional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.tl4j.zoo.spec.AdapterSpec;

/** Tiny synthetic batches and the train-by-plan pipeline the surgery tests share. */
final class SurgeryFixtures {

    private SurgeryFixtures() {
    }

    /** {@code n} Gaussian images at the adapter's input size (seeded), labelled 0, 1, ..., classes-1, 0, ... */
    static MultiDataSet batch(AdapterSpec spec, int n, int classes, long seed) {
        INDArray features = Nd4j.getRandomFactory().getNewRandomInstance(seed)
                .nextGaussian(new long[] {n, 3, spec.input().height(), spec.input().width()});
        INDArray labels = Nd4j.zeros(n, classes);
        for (int i = 0; i < n; i++) {
            labels.putScalar(i, i % classes, 1.0);
        }
        return new MultiDataSet(features, labels);
    }

    /**
     * The adapter's graph, seeded, with BatchNorm running statistics as a pretrained network has them: each layer's
     * mean and variance of its input over a calibration batch (the defaults, mean 0 and variance 1, would blow up
     * the activations of an untrained deep network in inference mode and saturate its softmax).
     */
    static ComputationGraph pretendPretrained(AdapterSpec spec, long seed) {
        ComputationGraph graph = Architectures.build(spec, seed);
        INDArray calibration = batch(spec, 16, 2, seed + 1000).getFeatures(0);
        Map<String, INDArray> activations = graph.feedForward(calibration, true);
        for (var vertex : graph.getVertices()) {
            if (!vertex.hasLayer() || !(vertex.getLayer().conf().getLayer() instanceof BatchNormalization)) {
                continue;
            }
            String name = vertex.getVertexName();
            INDArray input = activations.get(graph.getConfiguration().getVertexInputs().get(name).get(0));
            int[] dims = input.rank() == 4 ? new int[] {0, 2, 3} : new int[] {0};
            INDArray variance = input.var(false, dims);
            graph.getParam(name + "_mean").assign(input.mean(dims).reshape(graph.getParam(name + "_mean").shape()));
            if (graph.paramTable().containsKey(name + "_log10stdev")) {
                INDArray log10Std = Transforms.log(variance, 10, true).muli(0.5);
                graph.getParam(name + "_log10stdev").assign(log10Std.reshape(graph.getParam(name + "_mean").shape()));
            } else {
                graph.getParam(name + "_var").assign(variance.reshape(graph.getParam(name + "_mean").shape()));
            }
        }
        return graph;
    }

    static List<String> trainableLayers(ComputationGraph graph) {
        List<String> names = new ArrayList<>();
        for (var layer : graph.getLayers()) {
            if (layer.numParams() > 0) {
                names.add(layer.getConfig().getLayerName());
            }
        }
        return names;
    }

    /** The graph configured as a fine-tuning run would: plan from the adapted spec, freeze point, BatchNorm mode. */
    static ComputationGraph configured(HeadSurgery.Result surgery, FreezePoint freeze, BatchNormMode mode, double rate) {
        LrPlan plan = LrPlan.of(surgery.spec(), trainableLayers(surgery.graph()), rate, "head=1", Optional.empty());
        plan = freeze.applyTo(plan, surgery.graph(), surgery.spec());
        ComputationGraph graph = mode.apply(surgery.graph(), plan);
        return PlanApplier.apply(graph, plan, new FixedSchedule(rate), new Optimizer(Optimizer.Method.ADAM, 0, 0));
    }
}
