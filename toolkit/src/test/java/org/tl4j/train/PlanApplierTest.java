package org.tl4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.tl4j.zoo.arch.Architectures;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;

/**
 * After one update, each layer moved by (learning rate x its multiplier) times its gradient: the plan really
 * reaches DL4J's per-layer updaters, and multiplier 0 really freezes (BatchNorm statistics included).
 */
class PlanApplierTest {

    private static final double RATE = 0.05;
    private static AdapterSpec spec;
    private static ComputationGraph original;
    private static INDArray features;
    private static INDArray labels;

    @BeforeAll
    static void smallResNet() {
        spec = AdapterRegistry.builtIn().get("resnet50-small");
        original = Architectures.build(spec, 3);
        features = Nd4j.getRandomFactory().getNewRandomInstance(4).nextGaussian(new long[] {4, 3, 32, 32});
        labels = Nd4j.zeros(4, spec.head().classes());
        for (int i = 0; i < 4; i++) {
            labels.putScalar(i, i * 7, 1.0);
        }
    }

    @Test
    void eachLayersStepIsItsMultiplierTimesTheRateTimesItsGradient() {
        LrPlan plan = LrPlan.of(spec, trainableLayers(original), RATE, "stem=0,res2=0.01,res3=0.1,head=1",
                Optional.empty());
        // Momentum 0 and no decay: the first Nesterov step is then exactly rate x multiplier x mean gradient.
        ComputationGraph graph = PlanApplier.apply(original, plan, new FixedSchedule(RATE),
                new Optimizer(Optimizer.Method.NESTEROV, 0.0, 0.0));
        graph.setInputs(features);
        graph.setLabels(labels);
        graph.computeGradientAndScore(org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
        Map<String, INDArray> gradients = new java.util.HashMap<>();
        graph.gradient().gradientForVariable().forEach((k, v) -> gradients.put(k, v.dup()));
        Map<String, INDArray> before = new java.util.HashMap<>();
        graph.paramTable().forEach((k, v) -> before.put(k, v.dup()));

        graph.fit(new INDArray[] {features}, new INDArray[] {labels});

        int checked = 0;
        for (Map.Entry<String, INDArray> entry : graph.paramTable().entrySet()) {
            String key = entry.getKey();
            String layer = key.substring(0, key.lastIndexOf('_'));
            INDArray step = before.get(key).sub(entry.getValue());
            if (plan.frozen(layer)) {
                assertEquals(0.0, step.amaxNumber().doubleValue(), 0.0, key + " is frozen but moved");
                continue;
            }
            if (key.endsWith("_mean") || key.endsWith("_var") || key.endsWith("_log10stdev")) {
                continue; // running statistics follow the batch, not the gradient
            }
            INDArray gradient = gradients.get(key);
            // DL4J's gradient is summed over the batch; its updater divides by the batch size (minibatch mode).
            double expected = RATE * plan.multiplier(layer) / features.size(0);
            INDArray predicted = gradient.mul(expected);
            double error = step.sub(predicted).amaxNumber().doubleValue()
                    / Math.max(predicted.amaxNumber().doubleValue(), 1e-12);
            assertTrue(error < 1e-3, key + ": step differs from " + expected + " x gradient by " + error);
            checked++;
        }
        assertTrue(checked > 20, "checked " + checked + " parameters");
    }

    @Test
    void freezingBatchNormBehindTrainingLayersIsRefusedWithTheFix() {
        LrPlan plan = LrPlan.of(spec, trainableLayers(original), RATE, "stem=1,res2=0", Optional.empty());
        var e = org.junit.jupiter.api.Assertions.assertThrows(org.tl4j.data.InvalidInputException.class,
                () -> PlanApplier.apply(original, plan, new FixedSchedule(RATE), Optimizer.DEFAULT));
        assertTrue(e.getMessage().contains("freeze the layers before it too"), e.getMessage());
    }

    @Test
    void weightDecayReachesWeightsButNotBiasesOrBatchNorm() {
        LrPlan plan = LrPlan.of(spec, trainableLayers(original), RATE, "", Optional.empty());
        ComputationGraph graph = PlanApplier.apply(original, plan, new FixedSchedule(RATE), Optimizer.DEFAULT);
        var fc = (org.deeplearning4j.nn.conf.layers.BaseLayer) graph.getLayer(spec.head().layer()).conf().getLayer();
        var bn = (org.deeplearning4j.nn.conf.layers.BaseLayer) graph.getLayer("bn_conv1").conf().getLayer();
        assertEquals(1, fc.getRegularization().size());
        assertTrue(fc.getRegularizationBias().isEmpty());
        assertTrue(bn.getRegularization().isEmpty() && bn.getRegularizationBias().isEmpty());
        assertEquals(original.params(), graph.params(), "the configured copy starts from the same weights");
    }

    private static List<String> trainableLayers(ComputationGraph graph) {
        List<String> names = new ArrayList<>();
        for (var layer : graph.getLayers()) {
            if (layer.numParams() > 0) {
                names.add(layer.getConfig().getLayerName());
            }
        }
        return names;
    }

    /**
     * fit restores its best weights from a checkpoint zip at the end; with frozen groups (fine-tuning the top groups,
     * as the selector's FINE_TUNE_TOP does) DL4J could not rebuild the saved graph ("inputs" is null) because the
     * FrozenLayer wrappers were saved without their layer names.
     */
    @Test
    void aGraphWithFrozenGroupsSurvivesSavingAndRestoring(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        LrPlan plan = LrPlan.of(spec, trainableLayers(original), RATE, "stem=0,res2=0,res3=0,res4=0",
                Optional.empty());
        ComputationGraph graph = PlanApplier.apply(original, plan, new FixedSchedule(RATE), Optimizer.DEFAULT);
        graph.fit(new org.nd4j.linalg.dataset.DataSet(features, labels));
        java.nio.file.Path file = dir.resolve("checkpoint.zip");
        org.deeplearning4j.util.ModelSerializer.writeModel(graph, file.toFile(), true);
        ComputationGraph restored = org.tl4j.zoo.safety.SafeModelLoader.standard().restoreComputationGraph(file,
                true);
        assertEquals(graph.params(), restored.params());
        assertEquals(graph.outputSingle(false, features), restored.outputSingle(false, features));
    }
}
