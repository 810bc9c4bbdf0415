package org.tl4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.tl4j.zoo.arch.Architectures;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;

class BatchNormFoldingTest {

    private static final double TOLERANCE = 1e-5;

    /** A fresh graph with BatchNorm statistics and affine parameters randomised (fresh ones are near identities). */
    private static ComputationGraph graph(String adapter) {
        AdapterSpec spec = AdapterRegistry.builtIn().get(adapter);
        ComputationGraph graph = Architectures.build(spec, 7);
        Nd4j.getRandom().setSeed(11);
        for (Layer layer : graph.getLayers()) {
            if (layer.conf().getLayer() instanceof BatchNormalization) {
                Map<String, INDArray> p = layer.paramTable();
                p.get("gamma").assign(Nd4j.rand(DataType.FLOAT, p.get("gamma").shape()).addi(0.5));
                p.get("beta").assign(Nd4j.randn(DataType.FLOAT, p.get("beta").shape()).muli(0.1));
                p.get("mean").assign(Nd4j.randn(DataType.FLOAT, p.get("mean").shape()).muli(0.1));
                if (p.containsKey("var")) {
                    p.get("var").assign(Nd4j.rand(DataType.FLOAT, p.get("var").shape()).addi(0.5));
                } else { // useLogStd, DL4J's default: the statistic is log10 of the standard deviation
                    p.get("log10stdev").assign(Nd4j.rand(DataType.FLOAT, p.get("log10stdev").shape()).subi(0.5)
                            .muli(0.4));
                }
            }
        }
        return graph;
    }

    private static INDArray input(AdapterSpec spec, int batch) {
        Nd4j.getRandom().setSeed(3);
        return Nd4j.rand(DataType.FLOAT, batch, 3, spec.input().height(), spec.input().width());
    }

    private static long batchNorms(ComputationGraph graph) {
        return graph.getLayers().length == 0 ? 0 : java.util.Arrays.stream(graph.getLayers())
                .filter(l -> l.conf().getLayer() instanceof BatchNormalization).count();
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet50-small", "googlenet-small"})
    void foldedGraphGivesTheSameInferenceOutputs(String adapter) {
        AdapterSpec spec = AdapterRegistry.builtIn().get(adapter);
        ComputationGraph graph = graph(adapter);
        INDArray before = graph.params().dup();
        long norms = batchNorms(graph);
        INDArray x = input(spec, 4);
        INDArray expected = graph.output(false, x)[0];

        BatchNormFolding.Result folded = BatchNormFolding.fold(graph, name -> true);

        assertTrue(norms > 0, adapter + " should have BatchNorm layers to fold");
        assertEquals(norms, folded.foldedBatchNorms().size(), "every BatchNorm of " + adapter + " follows a conv");
        assertEquals(0, batchNorms(folded.graph()), "no BatchNorm layer left");
        INDArray actual = folded.graph().output(false, x)[0];
        double diff = actual.sub(expected).amaxNumber().doubleValue();
        assertTrue(diff <= TOLERANCE, adapter + ": folded outputs differ by " + diff);
        assertEquals(before, graph.params(), "the input graph must not change");
    }

    @Test
    void foldsOnlyWhatThePredicateAccepts() {
        ComputationGraph graph = graph("resnet50-small");
        List<String> all = BatchNormFolding.fold(graph, name -> true).foldedBatchNorms();
        String kept = all.get(0);
        BatchNormFolding.Result partial = BatchNormFolding.fold(graph, name -> !name.equals(kept));
        assertFalse(partial.foldedBatchNorms().contains(kept));
        assertEquals(all.size() - 1, partial.foldedBatchNorms().size());
        assertTrue(partial.graph().getConfiguration().getVertices().containsKey(kept));
    }

    @Test
    void headOnlyTrainingOnAFoldedFrozenTrunkTrainsTheSameHead() {
        AdapterSpec spec = AdapterRegistry.builtIn().get("resnet50-small");
        String head = spec.head().layer();
        ComputationGraph graph = graph("resnet50-small");
        ComputationGraph folded = BatchNormFolding.fold(graph, name -> !name.equals(head)).graph();
        INDArray x = input(spec, 4);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 4, spec.head().classes());
        for (int i = 0; i < 4; i++) {
            y.putScalar(i, i % spec.head().classes(), 1f);
        }
        ComputationGraph plain = PlanApplier.apply(graph, headOnly(graph, head), new FixedSchedule(0.01),
                Optimizer.DEFAULT);
        ComputationGraph fast = PlanApplier.apply(folded, headOnly(folded, head), new FixedSchedule(0.01),
                Optimizer.DEFAULT);
        for (int step = 0; step < 2; step++) {
            plain.fit(new DataSet(x, y));
            fast.fit(new DataSet(x, y));
        }
        // Relative to the weights' scale: each head output sums hundreds of float products of features that
        // differ from the unfolded trunk's in their last bits, and training amplifies that a little.
        INDArray expected = plain.getLayer(head).params();
        double diff = expected.sub(fast.getLayer(head).params()).amaxNumber().doubleValue()
                / Math.max(1, expected.amaxNumber().doubleValue());
        assertTrue(diff <= TOLERANCE, "head weights after 2 steps differ by " + diff + " of their largest");
        assertTrue(plain.getLayer(head).params().sub(graph.getLayer(head).params()).amaxNumber().doubleValue() > 0,
                "the head should have trained");
    }

    private static LrPlan headOnly(ComputationGraph graph, String head) {
        Map<String, Double> multipliers = new LinkedHashMap<>();
        for (Layer layer : graph.getLayers()) {
            if (layer.numParams() > 0) {
                String name = layer.conf().getLayer().getLayerName();
                multipliers.put(name, name.equals(head) ? 1.0 : 0.0);
            }
        }
        return new LrPlan(0.01, List.of(), multipliers);
    }
}
