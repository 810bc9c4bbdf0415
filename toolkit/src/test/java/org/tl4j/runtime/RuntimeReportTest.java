package org.tl4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Starts ND4J for real: the build selected with -Dnd4j.native.classifier must be the one that gets loaded. */
class RuntimeReportTest {

    @Test
    void loadsAndReportsTheNativeBuildSelectedAtBuildTime() {
        BackendBuild built = BackendBuild.current();
        Map<String, String> facts = RuntimeReport.collect();

        assertFalse(facts.containsKey(RuntimeReport.ND4J_ERROR), () -> facts.get(RuntimeReport.ND4J_ERROR));
        assertEquals(built.describe(), facts.get("backend.built"));
        assertEquals(built.nativeClassifier(), NativeBuild.detect());
        assertTrue(facts.get("native.build").startsWith(built.nativeClassifier() + " ("), facts.get("native.build"));
        assertFalse(facts.containsKey(RuntimeReport.NATIVE_BUILD_WARNING),
                () -> facts.get(RuntimeReport.NATIVE_BUILD_WARNING));
        assertTrue(facts.get("backend").startsWith("CPU"), facts.get("backend"));
    }

    @Test
    void oneDnnIsReportedExactlyForTheOneDnnBuilds() {
        RuntimeReport.collect();
        boolean oneDnnBuild = BackendBuild.current().nativeClassifier().contains("onednn");
        assertEquals(oneDnnBuild, NativeBuild.hasOneDnn());
        assertEquals(oneDnnBuild, NativeBuild.compiledFeatures().startsWith("oneDNN"), NativeBuild.compiledFeatures());
    }
}
