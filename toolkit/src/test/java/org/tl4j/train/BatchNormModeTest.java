package org.tl4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;

/**
 * FROZEN_STATISTICS: fine-tuned BatchNorm layers train gamma and beta, normalise with their running statistics in
 * training as at prediction, and never change those statistics; the hand-written backward pass agrees with finite
 * differences. TRAINING: DL4J's batch statistics.
 */
class BatchNormModeTest {

    private static final AdapterSpec RESNET = AdapterRegistry.builtIn().get("resnet50-small");
    /** The head at res3d keeps the graph small: stem, res2 and res3. */
    private static HeadSurgery.Result surgery;
    private static LrPlan plan;

    @BeforeAll
    static void resnetCutAtRes3d() {
        surgery = HeadSurgery.apply(SurgeryFixtures.pretendPretrained(RESNET, 6), RESNET, HeadSpecification.linear(3).atTap("res3d"));
        plan = LrPlan.of(surgery.spec(), SurgeryFixtures.trainableLayers(surgery.graph()), 1e-2, "", Optional.empty());
    }

    @Test
    void frozenStatisticsTrainGammaAndBetaButNeverTheRunningStatistics() {
        ComputationGraph graph = SurgeryFixtures.configured(surgery, FreezePoint.NONE, BatchNormMode.FROZEN_STATISTICS, 1e-2);
        Map<String, INDArray> before = new HashMap<>();
        graph.paramTable().forEach((k, v) -> before.put(k, v.dup()));
        MultiDataSet batch = SurgeryFixtures.batch(RESNET, 4, 3, 3);
        for (int step = 0; step < 3; step++) {
            graph.fit(batch);
        }
        int statistics = 0;
        for (Map.Entry<String, INDArray> entry : graph.paramTable().entrySet()) {
            String key = entry.getKey();
            if (key.startsWith("bn") && (key.endsWith("_mean") || key.endsWith("_var") || key.endsWith("_log10stdev"))) {
                assertEquals(before.get(key), entry.getValue(), key + " changed");
                statistics++;
            }
        }
        assertTrue(statistics >= 2 * 24, "checked " + statistics + " statistics");
        assertNotEquals(before.get("bn3d_branch2c_gamma"), graph.getParam("bn3d_branch2c_gamma"), "gamma trains");
        assertNotEquals(before.get("bn_conv1_beta"), graph.getParam("bn_conv1_beta"), "beta trains");
    }

    @Test
    void frozenStatisticsNormaliseInTrainingAsAtPredictionTrainingModeDoesNot() {
        INDArray input = SurgeryFixtures.batch(RESNET, 4, 3, 4).getFeatures(0);
        ComputationGraph fixed = BatchNormMode.FROZEN_STATISTICS.apply(surgery.graph(), plan);
        assertEquals(fixed.outputSingle(false, input), fixed.outputSingle(true, input));
        assertEquals(surgery.graph().outputSingle(false, input), fixed.outputSingle(false, input),
                "at prediction time the wrapped layers compute what DL4J's BatchNorm computes");
        ComputationGraph training = BatchNormMode.TRAINING.apply(surgery.graph(), plan);
        assertNotEquals(training.outputSingle(false, input), training.outputSingle(true, input));
    }

    @Test
    void theBackwardPassAgreesWithFiniteDifferences() {
        ComputationGraph graph = BatchNormMode.FROZEN_STATISTICS.apply(surgery.graph(), plan);
        MultiDataSet batch = SurgeryFixtures.batch(RESNET, 4, 3, 5);
        graph.setInputs(batch.getFeatures());
        graph.setLabels(batch.getLabels());
        graph.computeGradientAndScore(LayerWorkspaceMgr.noWorkspaces());
        Map<String, INDArray> gradients = new HashMap<>();
        graph.gradient().gradientForVariable().forEach((k, v) -> gradients.put(k, v.dup()));

        // gamma and beta of the last BatchNorm (dL/dgamma, dL/dbeta), and a convolution before two BatchNorms (dL/dx).
        for (String key : List.of("bn3d_branch2c_gamma", "bn3d_branch2c_beta", "res3d_branch2b_W", "bn3c_branch2a_gamma")) {
            INDArray parameter = graph.getParam(key);
            INDArray gradient = gradients.get(key);
            long index = 0; // the largest component, to beat float rounding
            for (long i = 1; i < gradient.length(); i++) {
                index = Math.abs(gradient.getDouble(i)) > Math.abs(gradient.getDouble(index)) ? i : index;
            }
            double analytic = gradient.getDouble(index) / batch.getFeatures(0).size(0);
            double original = parameter.getDouble(index);
            double h = 1e-2;
            parameter.putScalar(index, original + h);
            double plus = graph.score(batch, true);
            parameter.putScalar(index, original - h);
            double minus = graph.score(batch, true);
            parameter.putScalar(index, original);
            double numeric = (plus - minus) / (2 * h);
            assertEquals(numeric, analytic, 0.05 * Math.abs(numeric) + 1e-4, key + "[" + index + "]");
        }
    }

    @Test
    void aGraphWithFixedStatisticsLayersSavesAndLoads(@TempDir java.nio.file.Path dir) throws Exception {
        ComputationGraph graph = SurgeryFixtures.configured(surgery, FreezePoint.NONE, BatchNormMode.FROZEN_STATISTICS, 1e-2);
        java.io.File file = dir.resolve("model.zip").toFile();
        ModelSerializer.writeModel(graph, file, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file, true);
        assertTrue(restored.getConfiguration().getVertices().values().stream().anyMatch(v ->
                v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv
                        && lv.getLayerConf().getLayer() instanceof FixedStatisticsBatchNorm));
        INDArray input = SurgeryFixtures.batch(RESNET, 2, 3, 8).getFeatures(0);
        assertEquals(graph.outputSingle(false, input), restored.outputSingle(false, input));
    }
}
