package org.tl4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.tl4j.data.InvalidInputException;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;

/** The classifier named by the descriptor is replaced by a fan-in scaled, seeded head that trains at any tap. */
class HeadSurgeryTest {

    private static final AdapterSpec RESNET = AdapterRegistry.builtIn().get("resnet50-small");

    @Test
    void theOldClassifierGivesWayToANewSoftmaxHeadForNClasses() {
        ComputationGraph original = SurgeryFixtures.pretendPretrained(RESNET, 1);
        HeadSurgery.Result result = HeadSurgery.apply(original, RESNET, HeadSpecification.linear(5));
        ComputationGraph graph = result.graph();

        assertNull(graph.getVertex(RESNET.head().layer()), "the old classifier is gone");
        assertEquals(List.of(RESNET.head().layer()), result.removed());
        assertEquals(List.of(HeadSurgery.CLASSIFIER), result.added(), "pool5 is a vector: no pooling inserted");
        OutputLayer output = (OutputLayer) graph.getLayer(HeadSurgery.CLASSIFIER).conf().getLayer();
        assertEquals(5, output.getNOut());
        assertEquals(RESNET.defaultTapSpec().shape()[0], output.getNIn());
        assertTrue(output.getLossFn() instanceof LossMCXENT);
        assertEquals(List.of(HeadSurgery.CLASSIFIER), List.of(graph.getConfiguration().getNetworkOutputs().toArray()));
        INDArray out = graph.outputSingle(SurgeryFixtures.batch(RESNET, 2, 5, 1).getFeatures(0));
        assertArrayEquals(new long[] {2, 5}, out.shape());
        assertEquals(1.0, out.getRow(0).sumNumber().doubleValue(), 1e-5, "softmax rows sum to 1");

        // The layers before the tap keep their parameters.
        assertEquals(original.getLayer("res4f_branch2c").params(), graph.getLayer("res4f_branch2c").params());
        assertEquals(original.getLayer("bn_conv1").params(), graph.getLayer("bn_conv1").params());
        // The adapted descriptor names the new head and puts it in the last group, so an LrPlan covers it.
        assertEquals(HeadSurgery.CLASSIFIER, result.spec().head().layer());
        assertEquals(5, result.spec().head().classes());
        LrPlan plan = LrPlan.of(result.spec(), SurgeryFixtures.trainableLayers(graph), 0.01, "", Optional.empty());
        assertEquals(1.0, plan.multiplier(HeadSurgery.CLASSIFIER));
    }

    @Test
    void newWeightsHaveFanInScaledVarianceAndZeroBiases() {
        HeadSpecification spec = HeadSpecification.linear(40).withHidden(List.of(300), Activation.RELU);
        ComputationGraph graph = HeadSurgery.apply(SurgeryFixtures.pretendPretrained(RESNET, 1), RESNET, spec).graph();
        int fanIn = RESNET.defaultTapSpec().shape()[0];

        INDArray hidden = graph.getLayer(HeadSurgery.NEW_LAYER_PREFIX + "hidden1").getParam("W");
        assertArrayEquals(new long[] {fanIn, 300}, hidden.shape());
        assertStd(Math.sqrt(2.0 / fanIn), hidden, "He for the ReLU layer");
        INDArray classifier = graph.getLayer(HeadSurgery.CLASSIFIER).getParam("W");
        assertStd(Math.sqrt(1.0 / 300), classifier, "LeCun for the softmax");
        assertEquals(0.0, graph.getLayer(HeadSurgery.NEW_LAYER_PREFIX + "hidden1").getParam("b").amaxNumber().doubleValue());
        assertEquals(0.0, graph.getLayer(HeadSurgery.CLASSIFIER).getParam("b").amaxNumber().doubleValue());
    }

    private static void assertStd(double expected, INDArray weights, String what) {
        double std = weights.stdNumber().doubleValue();
        assertTrue(Math.abs(std - expected) < 0.1 * expected, what + ": std " + std + ", expected " + expected);
        assertTrue(Math.abs(weights.meanNumber().doubleValue()) < 0.1 * expected, what + ": mean not 0");
    }

    @Test
    void theSameSeedGivesTheSameNewWeightsWhateverTheBaseWeights() {
        HeadSpecification spec = HeadSpecification.linear(7).withHidden(List.of(16), Activation.TANH).withSeed(11);
        INDArray first = HeadSurgery.apply(SurgeryFixtures.pretendPretrained(RESNET, 1), RESNET, spec).graph()
                .getLayer(HeadSurgery.CLASSIFIER).params();
        ComputationGraph other = HeadSurgery.apply(SurgeryFixtures.pretendPretrained(RESNET, 2), RESNET, spec).graph();
        assertEquals(first, other.getLayer(HeadSurgery.CLASSIFIER).params());
        INDArray reseeded = HeadSurgery.apply(SurgeryFixtures.pretendPretrained(RESNET, 1), RESNET, spec.withSeed(12)).graph()
                .getLayer(HeadSurgery.CLASSIFIER).params();
        assertNotEquals(first, reseeded);
    }

    /**
     * Adam at a rate that suits the architecture on this synthetic batch: AlexNet, without BatchNorm, has
     * unnormalised fc7 features whose loss oscillates at 1e-3 and settles at 1e-2 (measured).
     */
    @ParameterizedTest(name = "{0} at {1}")
    @CsvSource({
        "resnet50-small, avgpool, false, 3e-3",
        "resnet50-small, res4f, true, 3e-3",
        "googlenet-small, pool5, false, 3e-3",
        "googlenet-small, inception_4e, true, 3e-3",
        "alexnet-small, fc7, false, 1e-2",
        "alexnet-small, pool5, true, 1e-3"})
    void theNewGraphTrainsAtTheDefaultTapAndAtAnEarlierConvolutionalTap(String adapter, String tap, boolean pooled,
                                                                        double rate) {
        org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(17); // dropout masks, whatever ran before
        AdapterSpec spec = AdapterRegistry.builtIn().get(adapter);
        HeadSurgery.Result result = HeadSurgery.apply(SurgeryFixtures.pretendPretrained(spec, 5), spec,
                HeadSpecification.linear(3).atTap(tap));
        assertEquals(pooled, result.added().contains(HeadSurgery.POOLING));
        assertEquals(tap, result.spec().defaultTap());
        // Frozen up to the adapter's earliest tap when the head sits later, to keep the test short on a CPU.
        String earliest = spec.taps().get(0).name();
        FreezePoint freeze = tap.equals(earliest) ? FreezePoint.NONE : FreezePoint.parse("tap:" + earliest);
        ComputationGraph graph = SurgeryFixtures.configured(result, freeze, BatchNormMode.DEFAULT, rate);
        MultiDataSet batch = SurgeryFixtures.batch(spec, 4, 3, 9);

        double before = graph.score(batch);
        for (int step = 0; step < 20; step++) {
            graph.fit(batch);
        }
        double after = graph.score(batch);
        assertTrue(after < 0.5 * before, adapter + " at " + tap + ": loss " + before + " -> " + after);
    }

    @Test
    void anUnknownTapIsRefusedWithTheAdaptersTaps() {
        var e = assertThrows(InvalidInputException.class, () -> HeadSurgery.apply(SurgeryFixtures.pretendPretrained(RESNET, 1),
                RESNET, HeadSpecification.linear(3).atTap("res9z")));
        assertTrue(e.getMessage().contains("res4f"), e.getMessage());
    }
}
