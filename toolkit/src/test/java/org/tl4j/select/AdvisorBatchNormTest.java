package org.tl4j.select;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tl4j.zoo.arch.Architectures;
import org.tl4j.zoo.spec.AdapterRegistry;

/** The selector's BatchNorm fact comes from the network itself. */
class AdvisorBatchNormTest {

    @ParameterizedTest
    @CsvSource({"resnet50-small, true", "googlenet-small, true", "alexnet-small, false"})
    void theBuiltArchitectureSaysWhetherItHasBatchNorm(String id, boolean batchNorm) {
        assertEquals(batchNorm, Advisor.hasBatchNorm(Architectures.build(AdapterRegistry.builtIn().get(id), 1)), id);
    }
}
