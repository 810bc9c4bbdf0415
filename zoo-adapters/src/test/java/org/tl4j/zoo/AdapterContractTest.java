package org.tl4j.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.tl4j.zoo.arch.Architectures;
import org.tl4j.zoo.arch.GraphCost;
import org.tl4j.zoo.arch.LayerCost;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;
import org.tl4j.zoo.spec.LayerGroup;
import org.tl4j.zoo.spec.Tap;

/**
 * Every shipped adapter descriptor agrees with the graph its builder makes. Full-size graphs are checked by
 * DL4J's shape inference (no weights allocated); graphs under 5M parameters also by a forward pass.
 */
class AdapterContractTest {

    private static final long FORWARD_PASS_LIMIT = 5_000_000L;

    static Stream<String> adapterIds() {
        return AdapterRegistry.builtIn().ids().stream();
    }

    @ParameterizedTest
    @MethodSource("adapterIds")
    void descriptorMatchesItsGraph(String id) {
        AdapterSpec spec = AdapterRegistry.builtIn().get(id);
        ComputationGraphConfiguration conf = Architectures.configuration(spec);
        GraphCost cost = GraphCost.of(conf, Architectures.inputType(spec));

        // The classifier exists, is the graph's output, predicts head.classes classes, and is in the last group.
        assertEquals(List.of(spec.head().layer()), conf.getNetworkOutputs(), id + ": head layer is the output");
        BaseOutputLayer head = (BaseOutputLayer) ((LayerVertex) conf.getVertices().get(spec.head().layer()))
                .getLayerConf().getLayer();
        assertEquals(spec.head().classes(), head.getNOut(), id + ": classes");
        assertTrue(spec.headGroup().contains(spec.head().layer()), id + ": classifier in the last group");

        // Each tap names a layer whose output has the tap's size.
        for (Tap tap : spec.taps()) {
            LayerCost layer = cost.layer(tap.layer())
                    .orElseThrow(() -> new AssertionError(id + ": tap " + tap.name() + " names no layer " + tap.layer()));
            assertArrayEquals(Arrays.stream(tap.shape()).asLongStream().toArray(), layer.outputShape(),
                    id + ": size of tap " + tap.name());
        }

        // Every pattern of every group matches a layer (no typos), and each trainable layer is in exactly one group.
        for (LayerGroup group : spec.groups()) {
            for (String pattern : group.layers()) {
                assertTrue(conf.getVertices().keySet().stream().anyMatch(v -> LayerGroup.matches(pattern, v)),
                        id + ": group " + group.name() + " pattern " + pattern + " matches no layer");
            }
        }
        List<String> problems = new ArrayList<>();
        for (LayerCost layer : cost.layers()) {
            if (layer.parameters() == 0) {
                continue;
            }
            long groups = spec.groups().stream().filter(g -> g.contains(layer.name())).count();
            if (groups != 1) {
                problems.add(layer.name() + " in " + groups + " groups");
            }
        }
        assertEquals(List.of(), problems, id + ": trainable layers not in exactly one group");
        assertEquals(List.of(spec.head().layer()),
                cost.layers().stream().filter(l -> l.parameters() > 0 && spec.headGroup().contains(l.name()))
                        .map(LayerCost::name).toList(),
                id + ": the last group holds the classifier only");
        assertTrue(spec.architecture().width() < 1 || spec.input().height() >= 200 || !spec.hasWeights(),
                id + ": a scaled-down net cannot use full-size weights");
    }

    @ParameterizedTest
    @MethodSource("adapterIds")
    void smallGraphsProduceTheTapSizesInAForwardPass(String id) {
        AdapterSpec spec = AdapterRegistry.builtIn().get(id);
        if (Architectures.cost(spec).parameters() > FORWARD_PASS_LIMIT) {
            return; // full-size: shape inference above is the check (a forward pass is slow on 2 cores)
        }
        ComputationGraph graph = Architectures.build(spec, 1);
        INDArray input = Nd4j.rand(DataType.FLOAT, 2, spec.input().channels(), spec.input().height(), spec.input().width());
        Map<String, INDArray> activations = graph.feedForward(input, false);
        for (Tap tap : spec.taps()) {
            long[] expected = new long[tap.shape().length + 1];
            expected[0] = 2;
            for (int i = 0; i < tap.shape().length; i++) {
                expected[i + 1] = tap.shape()[i];
            }
            assertArrayEquals(expected, activations.get(tap.layer()).shape(), id + ": tap " + tap.name());
        }
        assertArrayEquals(new long[] {2, spec.head().classes()}, activations.get(spec.head().layer()).shape());
        assertFalse(activations.get(spec.head().layer()).isNaN().any(), id + ": finite output");
    }
}
