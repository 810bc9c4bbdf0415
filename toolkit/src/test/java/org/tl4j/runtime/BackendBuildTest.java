package org.tl4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BackendBuildTest {

    @Test
    void theBuildRecordsTheCpuProfileAndALinuxNativeBuild() {
        BackendBuild build = BackendBuild.current();
        assertEquals(BackendBuild.CPU, build.backend(), "tests run with the default cpu profile");
        assertEquals("linux-x86_64", build.javacppPlatform());
        assertTrue(build.nativeClassifier().startsWith("linux-x86_64"), build.nativeClassifier());
    }

    @Test
    void extensionIsTheClassifierWithoutThePlatform() {
        assertEquals("-onednn-avx512",
                new BackendBuild("cpu", "linux-x86_64", "linux-x86_64-onednn-avx512").javacppExtension());
        assertEquals("-avx2", new BackendBuild("cpu", "linux-x86_64", "linux-x86_64-avx2").javacppExtension());
        assertEquals("", new BackendBuild("cpu", "linux-x86_64", "linux-x86_64").javacppExtension());
        assertEquals("", new BackendBuild("cuda", "linux-x86_64", "linux-x86_64-avx512").javacppExtension());
    }

    @Test
    void describeSaysWhichBackendWasBuilt() {
        assertEquals("cpu (nd4j-native linux-x86_64-avx2)",
                new BackendBuild("cpu", "linux-x86_64", "linux-x86_64-avx2").describe());
        assertTrue(new BackendBuild("cuda", "linux-x86_64", "linux-x86_64").describe()
                .startsWith("cuda (nd4j-cuda-11.6"));
    }

    @Test
    void rejectsAnUnknownBackendAndAClassifierOfAnotherPlatform() {
        var unknown = assertThrows(IllegalStateException.class,
                () -> new BackendBuild("opencl", "linux-x86_64", "linux-x86_64"));
        assertTrue(unknown.getMessage().contains("opencl") && unknown.getMessage().contains("-Pcuda"),
                unknown.getMessage());
        var foreign = assertThrows(IllegalStateException.class,
                () -> new BackendBuild("cpu", "linux-x86_64", "windows-x86_64-avx2"));
        assertTrue(foreign.getMessage().contains("-Dnd4j.native.classifier="), foreign.getMessage());
    }
}
