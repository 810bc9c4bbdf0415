package org.tl4j.runtime;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.factory.Nd4j;
import org.tl4j.zoo.arch.LayerHelpers;

/** Facts about the compute environment, gathered once from the build, ND4J, JavaCPP and the JVM. */
public final class RuntimeReport {

    /** Key of the fact that says ND4J could not start; present only then, and {@link #collect} stops there. */
    public static final String ND4J_ERROR = "nd4j.error";

    /** Key of the warning that the loaded native build is not the one selected at build time. */
    public static final String NATIVE_BUILD_WARNING = "native.build.warning";

    private RuntimeReport() {
    }

    /**
     * Ordered facts: the backend this tl4j was built with, then (once ND4J has started) backend, native build,
     * BLAS, threads, Java, heap and off-heap limits. If ND4J cannot start, for instance a cuda build on a
     * machine without a GPU, the facts known so far are returned with {@value #ND4J_ERROR} saying why.
     */
    public static Map<String, String> collect() {
        Map<String, String> facts = new LinkedHashMap<>();
        BackendBuild build = BackendBuild.current();
        facts.put("backend.built", build.describe());
        build.selectNativeBuild();
        Properties nd4j;
        try {
            nd4j = Nd4j.getExecutioner().getEnvironmentInformation();
        } catch (RuntimeException | LinkageError e) {
            facts.put(ND4J_ERROR, rootMessage(e));
            return facts;
        }
        facts.put("backend", String.valueOf(nd4j.getOrDefault("backend", Nd4j.getBackend().getClass().getSimpleName()))
                + " (" + Nd4j.getBackend().getClass().getSimpleName() + ")");
        facts.put("nd4j.version", nd4jVersion());
        String loaded = NativeBuild.detect();
        if (build.isCpu()) {
            facts.put("native.build", loaded + " (" + NativeBuild.compiledFeatures() + ")");
            if (!loaded.equals(build.nativeClassifier())) {
                facts.put(NATIVE_BUILD_WARNING, "built with " + build.nativeClassifier() + " but JavaCPP loaded "
                        + loaded + " (" + BackendBuild.EXTENSION_PROPERTY + "="
                        + System.getProperty(BackendBuild.EXTENSION_PROPERTY) + "); start tl4j with ./tl4j, or"
                        + " rebuild with -Dnd4j.native.classifier=" + loaded);
            }
        } else {
            facts.put("native.build", loaded);
        }
        facts.put("layer.helpers", layerHelpers(build));
        facts.put("blas.vendor", String.valueOf(nd4j.getOrDefault("blas.vendor", "unknown")));
        facts.put("threads.omp", String.valueOf(nd4j.getOrDefault("omp.threads", "unknown")));
        facts.put("threads.cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
        facts.put("cpu.features", NativeBuild.cpuFeatures());
        facts.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        facts.put("heap.max", megabytes(Runtime.getRuntime().maxMemory()));
        facts.put("offheap.max", megabytes(Pointer.maxBytes()));
        facts.put("offheap.physical.max", megabytes(Pointer.maxPhysicalBytes()));
        facts.put("memory.physical", megabytes(physicalMemory()));
        facts.put("data.type", String.valueOf(Nd4j.dataType()));
        return facts;
    }

    /** Whether DL4J's convolution, BatchNorm and pooling layers run through oneDNN, and if not, why not. */
    private static String layerHelpers(BackendBuild build) {
        if (!build.isCpu()) {
            return "cuDNN helpers as DL4J decides (cuda backend)";
        }
        if (!LayerHelpers.allowed()) {
            return "off (" + LayerHelpers.DISABLE_PROPERTY + "=" + System.getProperty(LayerHelpers.DISABLE_PROPERTY)
                    + "): DL4J's own layers run (slower)";
        }
        return NativeBuild.hasOneDnn()
                ? "oneDNN (convolution, BatchNorm, pooling through libnd4j's oneDNN ops)"
                : "off: this nd4j-native build has no oneDNN; rebuild with -Dnd4j.native.classifier="
                        + "linux-x86_64-onednn-avx512 (or -onednn-avx2, -onednn) for 3-6x faster training";
    }

    /** The innermost cause's message: ND4J wraps the useful one (no backend, missing CUDA library) deeply. */
    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : ": " + root.getMessage();
        return root.getClass().getSimpleName() + message;
    }

    private static String nd4jVersion() {
        // nd4j-api's manifest has no Implementation-Version; its Maven metadata has the version.
        try {
            String version = Loader.getVersion("org.nd4j", "nd4j-api", Nd4j.class);
            return version == null ? "unknown" : version;
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static long physicalMemory() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean bean ? bean.getTotalMemorySize() : -1;
    }

    private static String megabytes(long bytes) {
        return bytes <= 0 ? "unlimited" : (bytes >> 20) + " MiB";
    }
}
