package org.tl4j.runtime;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.factory.Nd4j;

/** Facts about the compute environment, gathered once from ND4J, JavaCPP and the JVM. */
public final class RuntimeReport {

    private RuntimeReport() {
    }

    /** Ordered facts: backend, native build, BLAS, threads, Java, heap and off-heap limits. */
    public static Map<String, String> collect() {
        Properties nd4j = Nd4j.getExecutioner().getEnvironmentInformation();
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("backend", String.valueOf(nd4j.getOrDefault("backend", Nd4j.getBackend().getClass().getSimpleName())));
        facts.put("nd4j.version", nd4jVersion());
        facts.put("native.build", NativeBuild.detect());
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

    private static String nd4jVersion() {
        String version = Nd4j.class.getPackage().getImplementationVersion();
        return version == null ? "unknown" : version;
    }

    private static long physicalMemory() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean bean ? bean.getTotalMemorySize() : -1;
    }

    private static String megabytes(long bytes) {
        return bytes <= 0 ? "unlimited" : (bytes >> 20) + " MiB";
    }
}
