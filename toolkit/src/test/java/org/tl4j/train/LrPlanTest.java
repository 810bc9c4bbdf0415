package org.tl4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tl4j.data.InvalidInputException;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;

/** The plan as a pure function of descriptor, layers and options (no graph, no training). */
class LrPlanTest {

    private static final AdapterSpec RESNET = AdapterRegistry.builtIn().get("resnet50.imagenet");
    private static final List<String> LAYERS = List.of("conv1", "bn_conv1", "res2a_branch2a", "bn2a_branch2a",
            "res3a_branch2a", "res4a_branch2a", "res5c_branch2c", "bn5c_branch2c", "fc1000");

    @Test
    void defaultsComeFromTheDescriptor() {
        LrPlan plan = LrPlan.of(RESNET, LAYERS, 0.01, "", Optional.empty());
        for (var group : RESNET.groups()) {
            plan.groups().stream().filter(g -> g.group().equals(group.name())).findFirst()
                    .ifPresent(g -> assertEquals(group.lrMultiplier(), g.multiplier()));
        }
        assertEquals(1.0, plan.multiplier("fc1000"));
        assertEquals(List.of("conv1", "bn_conv1"), plan.groups().get(0).layers());
    }

    @Test
    void overridesSetGroupsAndZeroFreezes() {
        LrPlan plan = LrPlan.of(RESNET, LAYERS, 0.01, "head=10,res5=1,stem=0", Optional.empty());
        assertEquals(10, plan.multiplier("fc1000"));
        assertEquals(1, plan.multiplier("bn5c_branch2c"));
        assertTrue(plan.frozen("conv1") && plan.frozen("bn_conv1"));
        assertTrue(plan.toString().contains("frozen"), plan.toString());
    }

    @Test
    void discriminativeSpreadsGeometricallyFromTheEarliestGroupToTheHead() {
        LrPlan plan = LrPlan.of(RESNET, LAYERS, 0.01, "", Optional.of(100.0));
        int n = RESNET.groups().size();
        assertEquals(0.01, plan.multiplier("conv1"), 1e-12);
        assertEquals(1.0, plan.multiplier("fc1000"), 1e-12);
        for (int i = 1; i < n; i++) {
            double ratio = plan.groups().get(i).multiplier() / plan.groups().get(i - 1).multiplier();
            assertEquals(Math.pow(100, 1.0 / (n - 1)), ratio, 1e-9, "constant ratio between neighbours");
        }
    }

    @Test
    void explicitMultipliersWinOverDiscriminative() {
        LrPlan plan = LrPlan.of(RESNET, LAYERS, 0.01, "stem=0", Optional.of(100.0));
        assertEquals(0, plan.multiplier("conv1"));
        assertEquals(1.0, plan.multiplier("fc1000"), 1e-12);
    }

    @Test
    void badOptionsNameTheGroupsAndTheFix() {
        InvalidInputException unknown = assertThrows(InvalidInputException.class,
                () -> LrPlan.of(RESNET, LAYERS, 0.01, "late=1", Optional.empty()));
        assertTrue(unknown.getMessage().contains("stem") && unknown.getMessage().contains("head"), unknown.getMessage());
        assertThrows(InvalidInputException.class, () -> LrPlan.of(RESNET, LAYERS, 0.01, "head=-1", Optional.empty()));
        assertThrows(InvalidInputException.class, () -> LrPlan.of(RESNET, LAYERS, 0.01, "head=x", Optional.empty()));
        assertThrows(InvalidInputException.class, () -> LrPlan.of(RESNET, LAYERS, 0, "", Optional.empty()));
        assertThrows(InvalidInputException.class, () -> LrPlan.of(RESNET, LAYERS, 0.01, "", Optional.of(0.5)));
    }

    @Test
    void aTrainableLayerOutsideEveryGroupIsADescriptorError() {
        assertThrows(IllegalArgumentException.class,
                () -> LrPlan.of(RESNET, List.of("conv1", "mystery_layer"), 0.01, "", Optional.empty()));
    }
}
