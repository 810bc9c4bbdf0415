package org.tl4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.tl4j.data.InvalidInputException;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;

/** Freezing up to a tap, layer or group freezes exactly that part, parameters and BatchNorm statistics alike. */
class FreezePointTest {

    private static final AdapterSpec RESNET = AdapterRegistry.builtIn().get("resnet50-small");
    private static HeadSurgery.Result surgery;

    @BeforeAll
    static void resnetWithNewHead() {
        surgery = HeadSurgery.apply(SurgeryFixtures.pretendPretrained(RESNET, 4), RESNET, HeadSpecification.linear(3));
    }

    @Test
    void parsesTheFourForms() {
        assertEquals(FreezePoint.NONE, FreezePoint.parse("none"));
        assertEquals(new FreezePoint(FreezePoint.Kind.TAP, "res4f"), FreezePoint.parse("tap:res4f"));
        assertEquals(new FreezePoint(FreezePoint.Kind.LAYER, "conv1"), FreezePoint.parse(" layer:conv1 "));
        assertEquals(new FreezePoint(FreezePoint.Kind.GROUP, "res3"), FreezePoint.parse("group:res3"));
        assertEquals("tap:res4f", FreezePoint.parse("tap:res4f").toString());
        for (String bad : new String[] {"res4f", "tap:", "block:res4", "", "none:x"}) {
            var e = assertThrows(InvalidInputException.class, () -> FreezePoint.parse(bad), bad);
            assertTrue(e.getMessage().contains("tap:NAME"), e.getMessage());
        }
    }

    @Test
    void aTapFreezesItselfAndEverythingBeforeIt() {
        Set<String> frozen = FreezePoint.parse("tap:res3d").frozenLayers(surgery.graph(), surgery.spec());
        assertTrue(frozen.containsAll(Set.of("conv1", "bn_conv1", "res2a_branch1", "res3d_branch2c", "bn3d_branch2c")),
                frozen.toString());
        assertFalse(frozen.stream().anyMatch(l -> l.startsWith("res4") || l.startsWith("bn4")), frozen.toString());
        assertFalse(frozen.contains(HeadSurgery.CLASSIFIER));
        assertEquals(frozen, FreezePoint.parse("group:res3").frozenLayers(surgery.graph(), surgery.spec()),
                "the res3 group ends at the res3d tap");
        assertEquals(Set.of("conv1"), FreezePoint.parse("layer:conv1").frozenLayers(surgery.graph(), surgery.spec()));
        assertTrue(FreezePoint.NONE.frozenLayers(surgery.graph(), surgery.spec()).isEmpty());
    }

    @Test
    void unknownNamesAndFreezingEverythingAreRefused() {
        assertThrows(InvalidInputException.class,
                () -> FreezePoint.parse("tap:res9").frozenLayers(surgery.graph(), surgery.spec()));
        assertThrows(InvalidInputException.class,
                () -> FreezePoint.parse("layer:nope").frozenLayers(surgery.graph(), surgery.spec()));
        var e = assertThrows(InvalidInputException.class,
                () -> FreezePoint.parse("group:res9").frozenLayers(surgery.graph(), surgery.spec()));
        assertTrue(e.getMessage().contains("res4"), e.getMessage());
        LrPlan plan = LrPlan.of(surgery.spec(), SurgeryFixtures.trainableLayers(surgery.graph()), 0.01, "",
                Optional.empty());
        assertThrows(InvalidInputException.class,
                () -> FreezePoint.parse("group:head").applyTo(plan, surgery.graph(), surgery.spec()));
    }

    @Test
    void thePlanGetsMultiplierZeroExactlyOnTheFrozenLayers() {
        LrPlan plan = LrPlan.of(surgery.spec(), SurgeryFixtures.trainableLayers(surgery.graph()), 0.01, "",
                Optional.empty());
        FreezePoint point = FreezePoint.parse("tap:res4f");
        Set<String> frozen = point.frozenLayers(surgery.graph(), surgery.spec());
        LrPlan frozenPlan = point.applyTo(plan, surgery.graph(), surgery.spec());
        for (String layer : plan.layerMultipliers().keySet()) {
            assertEquals(frozen.contains(layer) ? 0.0 : plan.multiplier(layer), frozenPlan.multiplier(layer), layer);
        }
        assertTrue(frozenPlan.toString().contains("res4 (frozen)") || frozenPlan.toString().contains("res4 "),
                frozenPlan.toString());
    }

    @Test
    void trainingLeavesTheFrozenLayersParametersAndStatisticsUntouched() {
        // TRAINING mode, so that the BatchNorm layers after the freeze point really update their statistics.
        ComputationGraph graph = SurgeryFixtures.configured(surgery, FreezePoint.parse("tap:res3d"),
                BatchNormMode.TRAINING, 1e-2);
        Set<String> frozen = FreezePoint.parse("tap:res3d").frozenLayers(surgery.graph(), surgery.spec());
        Map<String, INDArray> before = new HashMap<>();
        graph.paramTable().forEach((k, v) -> before.put(k, v.dup()));
        MultiDataSet batch = SurgeryFixtures.batch(RESNET, 4, 3, 2);
        for (int step = 0; step < 3; step++) {
            graph.fit(batch);
        }
        int unchanged = 0;
        for (Map.Entry<String, INDArray> entry : graph.paramTable().entrySet()) {
            String key = entry.getKey();
            String layer = key.substring(0, key.lastIndexOf('_'));
            if (frozen.contains(layer)) {
                assertEquals(before.get(key), entry.getValue(), key + " is frozen but changed");
                unchanged++;
            }
        }
        assertTrue(unchanged > 40, "checked " + unchanged + " frozen parameters");
        assertNotEquals(before.get("res4a_branch2a_W"), graph.getParam("res4a_branch2a_W"), "res4 trains");
        String statistic = graph.paramTable().containsKey("bn4a_branch2a_log10stdev") ? "log10stdev" : "var";
        assertNotEquals(before.get("bn4a_branch2a_mean"), graph.getParam("bn4a_branch2a_mean"),
                "a training BatchNorm after the freeze point updates its statistics");
        assertNotEquals(before.get("bn4a_branch2a_" + statistic), graph.getParam("bn4a_branch2a_" + statistic));
    }
}
