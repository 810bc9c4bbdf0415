package org.tl4j.zoo.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tl4j.zoo.spec.AdapterRegistry;
import org.tl4j.zoo.spec.AdapterSpec;
import org.tl4j.zoo.spec.AdapterSpecException;
import org.tl4j.zoo.spec.ArchitectureSpec;

class ArchitecturesTest {

    private static AdapterSpec withArchitecture(ArchitectureSpec architecture) {
        AdapterSpec s = AdapterRegistry.builtIn().get("resnet50-small");
        return new AdapterSpec(s.id(), s.description(), architecture, s.input(), s.head(), s.taps(), s.defaultTap(),
                s.groups(), s.weights());
    }

    @Test
    void specNamesTheBuilderThatMakesItsGraph() {
        AdapterSpec spec = AdapterRegistry.builtIn().get("googlenet-small");
        assertTrue(Architectures.builderFor(spec) instanceof GoogLeNet);
        assertEquals(List.of("input"), Architectures.configuration(spec).getNetworkInputs());
    }

    @Test
    void missingOrMismatchedBuilderIsRefusedNamingTheAdapter() {
        AdapterSpecException missing = assertThrows(AdapterSpecException.class, () -> Architectures.builderFor(
                withArchitecture(new ArchitectureSpec("resnet50", "org.tl4j.zoo.arch.ResNet51", "torchvision", 1))));
        assertTrue(missing.getMessage().contains("resnet50-small") && missing.getMessage().contains("ResNet51"),
                missing.getMessage());
        AdapterSpecException mismatch = assertThrows(AdapterSpecException.class, () -> Architectures.builderFor(
                withArchitecture(new ArchitectureSpec("resnet50", AlexNet.class.getName(), "torchvision", 1))));
        assertTrue(mismatch.getMessage().contains("alexnet"), mismatch.getMessage());
        AdapterSpecException notBuilder = assertThrows(AdapterSpecException.class, () -> Architectures.builderFor(
                withArchitecture(new ArchitectureSpec("resnet50", String.class.getName(), "torchvision", 1))));
        assertTrue(notBuilder.getMessage().contains("ArchitectureBuilder"), notBuilder.getMessage());
    }
}
