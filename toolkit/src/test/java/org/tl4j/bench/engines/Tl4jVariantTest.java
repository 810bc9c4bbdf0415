package org.tl4j.bench.engines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.tl4j.runtime.NativeBuild;
import org.tl4j.zoo.arch.Architectures;
import org.tl4j.zoo.arch.LayerHelpers;
import org.tl4j.zoo.spec.AdapterRegistry;

class Tl4jVariantTest {

    @Test
    void theDl4jLayersLeverBuildsWithoutHelpersAndLeavesTheSwitchAsItWas() {
        String before = System.getProperty(LayerHelpers.DISABLE_PROPERTY);
        var spec = AdapterRegistry.builtIn().get("resnet50-small");
        ComputationGraph own = Tl4jVariant.parse("dl4j-layers").build(() -> Architectures.build(spec, 1));
        ComputationGraph helped = Tl4jVariant.parse("default").build(() -> Architectures.build(spec, 1));
        assertEquals(0, LayerHelpers.engagedLayers(own));
        assertEquals(NativeBuild.hasOneDnn(), LayerHelpers.engagedLayers(helped) > 0);
        assertEquals(before, System.getProperty(LayerHelpers.DISABLE_PROPERTY));
    }

    @Test
    void engineNamesAndUnknownVariants() {
        assertEquals("tl4j", Tl4jVariant.parse("default").engineName());
        assertEquals("tl4j[dl4j-layers]", Tl4jVariant.parse(" DL4J-Layers ").engineName());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tl4jVariant.parse("fast"));
        assertTrue(e.getMessage().contains(Tl4jVariant.NAMES), e.getMessage());
    }
}
