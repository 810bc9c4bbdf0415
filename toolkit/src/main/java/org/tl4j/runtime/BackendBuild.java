package org.tl4j.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Which ND4J backend this toolkit was built with: the Maven profile ({@code cpu} or {@code cuda}) and, for
 * {@code cpu}, the nd4j-native build chosen by {@code -Dnd4j.native.classifier}. Maven writes these facts into
 * {@value #RESOURCE} when toolkit is built, so they describe the class path that came with this jar.
 */
public record BackendBuild(String backend, String javacppPlatform, String nativeClassifier) {

    /** Class-path resource written by Maven resource filtering (toolkit/src/main/resources-filtered). */
    public static final String RESOURCE = "org/tl4j/runtime/backend-build.properties";

    /** JavaCPP reads this system property to choose among the nd4j-native builds on the class path. */
    public static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";

    /** Profile name of the default, CPU backend (nd4j-native). */
    public static final String CPU = "cpu";

    /** Profile name of the CUDA backend (nd4j-cuda-11.6-platform). */
    public static final String CUDA = "cuda";

    public BackendBuild {
        if (!CPU.equals(backend) && !CUDA.equals(backend)) {
            throw new IllegalStateException("unknown ND4J backend '" + backend + "' in " + RESOURCE
                    + "; rebuild with the cpu (default) or cuda profile: mvn -B -q -DskipTests package [-Pcuda]");
        }
        if (CPU.equals(backend) && !nativeClassifier.startsWith(javacppPlatform)) {
            throw new IllegalStateException("nd4j.native.classifier '" + nativeClassifier + "' in " + RESOURCE
                    + " is not a build for the platform '" + javacppPlatform + "'; rebuild with e.g. "
                    + "-Dnd4j.native.classifier=" + javacppPlatform + "-avx2");
        }
    }

    /** The facts of the build that produced the toolkit jar on the class path. */
    public static BackendBuild current() {
        try (InputStream in = BackendBuild.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path; build toolkit with "
                        + "Maven (mvn -B -q -DskipTests package) instead of compiling it by hand");
            }
            Properties p = new Properties();
            p.load(in);
            return new BackendBuild(required(p, "backend"), required(p, "javacpp.platform"),
                    required(p, "nd4j.native.classifier"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + " from the class path", e);
        }
    }

    private static String required(Properties p, String key) {
        String value = p.getProperty(key, "").trim();
        if (value.isEmpty() || value.startsWith("${")) {
            throw new IllegalStateException(RESOURCE + " has no value for '" + key + "' (Maven did not filter it); "
                    + "rebuild with: mvn -B -q -DskipTests package");
        }
        return value;
    }

    /** True for the default, nd4j-native backend. */
    public boolean isCpu() {
        return CPU.equals(backend);
    }

    /**
     * The JavaCPP platform extension of the selected nd4j-native build: {@code "-onednn-avx512"} for
     * {@code linux-x86_64-onednn-avx512}, {@code ""} for the generic {@code linux-x86_64} build.
     */
    public String javacppExtension() {
        return isCpu() ? nativeClassifier.substring(javacppPlatform.length()) : "";
    }

    /**
     * Tells JavaCPP to load the selected nd4j-native build, unless the user already chose one with
     * {@value #EXTENSION_PROPERTY}. Needed because nd4j-native always brings the generic build as well, and
     * without the property JavaCPP prefers any plain -avx512/-avx2 build over a -onednn one when several are
     * on the class path. Has no effect once ND4J has loaded its native library: call it before the first
     * use of {@code Nd4j} (the ./tl4j launcher passes the same property on the command line instead).
     */
    public void selectNativeBuild() {
        if (isCpu() && System.getProperty(EXTENSION_PROPERTY) == null) {
            System.setProperty(EXTENSION_PROPERTY, javacppExtension());
        }
    }

    /** One line for {@code tl4j env}: the Maven profile and the native artifact it put on the class path. */
    public String describe() {
        return isCpu()
                ? "cpu (nd4j-native " + nativeClassifier + ")"
                : "cuda (nd4j-cuda-11.6-platform, " + javacppPlatform + " jars; needs an NVIDIA GPU with its driver,"
                        + " CUDA 11.6 and cuDNN 8.3 installed)";
    }
}
