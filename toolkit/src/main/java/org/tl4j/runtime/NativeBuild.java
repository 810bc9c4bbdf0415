package org.tl4j.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bytedeco.javacpp.Loader;
import org.nd4j.nativeblas.NativeOpsHolder;

/** Which nd4j-native build (plain, avx2, avx512, onednn...) is on the class path, and what the CPU offers. */
public final class NativeBuild {

    private static final Pattern BINDINGS_DIR = Pattern.compile("bindings/([^/]+)/");
    private static final Pattern ND4J_CUDA_JAR = Pattern.compile("(nd4j-cuda-[0-9.]+)");

    private NativeBuild() {
    }

    /**
     * The nd4j-native build whose library was actually loaded (e.g. {@code linux-x86_64-avx512}), or the CUDA
     * artifact. Call after ND4J has initialised. Several builds can sit on the class path (nd4j-native always
     * pulls the generic one): JavaCPP loads the one named by {@value BackendBuild#EXTENSION_PROPERTY}, or without
     * it the first it finds in its own order (plain -avx512 before -onednn-*), without asking what the CPU
     * supports. So read the path of the library that was loaded.
     */
    public static String detect() {
        Matcher cuda = ND4J_CUDA_JAR.matcher(System.getProperty("java.class.path", ""));
        if (cuda.find()) {
            return cuda.group(1);
        }
        String library = Loader.getLoadedLibraries().get("nd4jcpu");
        if (library == null) {
            return "unknown (libnd4jcpu not loaded)";
        }
        Matcher dir = BINDINGS_DIR.matcher(library);
        return dir.find() ? dir.group(1) : library;
    }

    /**
     * What the loaded native library says it was compiled with, as in {@code "oneDNN, AVX-512"}: oneDNN when
     * its build info lists HAVE_ONEDNN, and the instruction level it was compiled for. Call after ND4J has
     * initialised. This reads the binary itself, so it stays right whatever the jar or folder is called.
     */
    public static String compiledFeatures() {
        // binaryLevel() is libnd4j's own record of its compile flags: 1 generic, 2 AVX2, 3 AVX-512.
        var ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        String info = String.valueOf(ops.buildInfo());
        String level = switch (ops.binaryLevel()) {
            case 3 -> "AVX-512";
            case 2 -> "AVX2";
            default -> "generic x86-64";
        };
        return (info.contains("HAVE_ONEDNN") ? "oneDNN, " : "no oneDNN, ") + level;
    }

    /** True when the loaded libnd4j was compiled with oneDNN (reachable through libnd4j's own ops). */
    public static boolean hasOneDnn() {
        return String.valueOf(NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo()).contains("HAVE_ONEDNN");
    }

    /** The SIMD features that matter for nd4j-native builds, read from /proc/cpuinfo. */
    public static String cpuFeatures() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo)) {
            return "unknown";
        }
        try (Stream<String> lines = Files.lines(cpuinfo)) {
            String flags = lines.filter(l -> l.startsWith("flags")).findFirst().orElse("");
            return Stream.of("avx", "avx2", "fma", "avx512f", "avx512bw", "avx512_vnni", "avx512_bf16")
                    .filter(f -> flags.matches(".*\\b" + f + "\\b.*"))
                    .collect(Collectors.joining(" "));
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
