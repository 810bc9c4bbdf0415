package org.tl4j.zoo.spec;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LayerGroupTest {

    @Test
    void starMatchesAnyRunOfCharactersAndNothingElseIsSpecial() {
        assertTrue(LayerGroup.matches("res2*", "res2a_branch2a"));
        assertTrue(LayerGroup.matches("res2*", "res2"));
        assertFalse(LayerGroup.matches("res2*", "bn2a_branch2a"));
        assertTrue(LayerGroup.matches("*_bn", "conv1_7x7_s2_bn"));
        assertTrue(LayerGroup.matches("conv2*", "conv2_group1"));
        assertFalse(LayerGroup.matches("conv2", "conv2_group1"), "without a star, exact");
        assertFalse(LayerGroup.matches("fc.", "fc6"), "a dot is a dot");
    }

    @Test
    void groupContainsTheLayersOfAnyOfItsPatterns() {
        LayerGroup group = new LayerGroup("stem", 0.01, List.of("conv1", "bn_conv1"));
        assertTrue(group.contains("bn_conv1"));
        assertFalse(group.contains("conv1_relu"));
    }

    @Test
    void emptyGroupsAndNegativeMultipliersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LayerGroup("x", 1, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new LayerGroup("x", -1, List.of("a")));
    }
}
