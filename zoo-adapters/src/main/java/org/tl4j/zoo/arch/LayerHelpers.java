package org.tl4j.zoo.arch;

import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.layers.FrozenLayerWithBackprop;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * DL4J's oneDNN layer helpers: convolution, BatchNorm and pooling layers that run libnd4j's oneDNN-backed ops instead
 * of DL4J's im2col + gemm. On the -onednn builds of nd4j-native they train this project's networks 3-6x faster and
 * run them 6-10x faster, with gradients as close to a float64 reference as DL4J's own (LayerHelpersTest;
 * figures in docs/performance.md).
 *
 * <p>DL4J decides when it constructs each layer, from the system property {@value #DISABLE_PROPERTY} (DL4J's
 * default: disabled) and from {@link org.nd4j.nativeblas.Nd4jCpu.Environment#isUseMKLDNN()}. tl4j turns the
 * property on before it builds or loads a graph; a user who sets it (for instance
 * {@code TL4J_JAVA_OPTS=-D}{@value #DISABLE_PROPERTY}{@code =true}) keeps their choice.
 */
public final class LayerHelpers {

    /** DL4J's switch: helpers are created only when it is {@code false}. */
    public static final String DISABLE_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";

    private LayerHelpers() {
    }

    /** Lets DL4J create its layer helpers for the layers built from now on, unless the user already chose. */
    public static void enableUnlessUserChose() {
        if (System.getProperty(DISABLE_PROPERTY) == null) {
            System.setProperty(DISABLE_PROPERTY, "false");
        }
    }

    /**
     * Runs {@code construction} with DL4J's helper switch set to {@code helpers}, then puts the switch back: DL4J
     * picks a layer's helper when it constructs the layer, so this decides for the graphs built inside only.
     */
    public static <T> T building(boolean helpers, Supplier<T> construction) {
        String before = System.getProperty(DISABLE_PROPERTY);
        System.setProperty(DISABLE_PROPERTY, helpers ? "false" : "true");
        try {
            return construction.get();
        } finally {
            if (before == null) {
                System.clearProperty(DISABLE_PROPERTY);
            } else {
                System.setProperty(DISABLE_PROPERTY, before);
            }
        }
    }

    /** True when the layers built from now on get helpers, as far as the switch goes (oneDNN must be loaded too). */
    public static boolean allowed() {
        return "false".equalsIgnoreCase(System.getProperty(DISABLE_PROPERTY, "true"));
    }

    /**
     * True when the loaded libnd4j was compiled with oneDNN (its build information lists HAVE_ONEDNN): the -onednn
     * builds of nd4j-native. Starts ND4J if nothing has yet.
     */
    public static boolean oneDnnLoaded() {
        Nd4j.getBackend(); // loads the native library that NativeOpsHolder asks; asking first fails
        return String.valueOf(NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo()).contains("HAVE_ONEDNN");
    }

    /** How many layers of the graph (frozen ones included) run through a helper. */
    public static int engagedLayers(ComputationGraph graph) {
        int engaged = 0;
        for (Layer layer : graph.getLayers()) {
            if (unwrapped(layer).getHelper() != null) {
                engaged++;
            }
        }
        return engaged;
    }

    private static Layer unwrapped(Layer layer) {
        if (layer instanceof FrozenLayer frozen) {
            return unwrapped(frozen.getInsideLayer());
        }
        if (layer instanceof FrozenLayerWithBackprop frozen) {
            return unwrapped(frozen.getInsideLayer());
        }
        return layer;
    }
}
